// The PouchDB peer of sync_bench: the documents sync_bench pushes and downloads (one JSON
// object per line, each with its _id), replicated with PouchDB over HTTP on loopback.
// The server is express-pouchdb over on-disk PouchDB (LevelDB) in a child process of its
// own, so that each side's peak memory is its own; the clients are on-disk PouchDBs in
// this process, filled before the clock starts, as a device's store would be.
//
//   node peer.js --docs FILE --devices N --dir DIR
//
// Three runs, each on a fresh server database: every document from one client database,
// the same documents spread over N client databases replicating at once, and a fresh
// client database pulling every document from the server (a first download). Prints one
// JSON line per run ({"run","docs","seconds"}), then the peak resident memory of both
// sides in KiB ({"run":"memory","client_kib","server_kib"}).
'use strict';

const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

// One replication batch holds as many documents as one of sync_bench's Push frames
// holds operations, so both sides move the same amount per round trip.
const batchSize = 500;

function parseArguments(argv) {
  const options = { docs: '', devices: 0, dir: '' };
  for (let i = 2; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--docs') options.docs = value;
    else if (argv[i] === '--devices') options.devices = Number(value);
    else if (argv[i] === '--dir') options.dir = value;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!options.docs || !options.dir || !(options.devices > 0))
    throw new Error('usage: node peer.js --docs FILE --devices N --dir DIR');
  return options;
}

async function readDocs(file) {
  const docs = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length > 0) docs.push(JSON.parse(line));
  }
  return docs;
}

// The server runs here when this file is started with --serve DIR.
function serve(dir) {
  const express = require('express');
  const PouchDB = require('pouchdb').defaults({ prefix: path.join(dir, path.sep) });
  const app = express();
  app.use('/', require('express-pouchdb')(PouchDB, { mode: 'minimumForPouchDB', logPath: path.join(dir, 'log.txt') }));
  const listener = app.listen(0, '127.0.0.1', () => process.send({ port: listener.address().port }));
  process.on('message', (message) => {
    if (message === 'memory') process.send({ kib: process.resourceUsage().maxRSS });
    else if (message === 'stop') listener.close(() => process.exit(0));
  });
}

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve', dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve({ child, port: message.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the PouchDB server exited with ${code}`)));
  });
}

function ask(child, question) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(question);
  });
}

async function main() {
  const options = parseArguments(process.argv);
  const PouchDB = require('pouchdb');
  const docs = await readDocs(options.docs);
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(options.dir, 'server'), { recursive: true });
  fs.mkdirSync(path.join(options.dir, 'clients'), { recursive: true });
  const server = await startServer(path.join(options.dir, 'server'));
  const url = (name) => `http://127.0.0.1:${server.port}/${name}`;
  const client = (name) => new PouchDB(path.join(options.dir, 'clients', name));

  // Each client database holds its share of the documents before the clock starts.
  async function ingest(run, devices) {
    const perDevice = Math.ceil(docs.length / devices);
    const sources = [];
    for (let d = 0; d < devices; ++d) {
      const db = client(`${run}-${d}`);
      const share = docs.slice(d * perDevice, (d + 1) * perDevice);
      for (let i = 0; i < share.length; i += batchSize) await db.bulkDocs(share.slice(i, i + batchSize));
      sources.push(db);
    }
    const target = url(run);
    await new PouchDB(target).info();  // creates it outside the timed region
    const start = process.hrtime.bigint();
    const results = await Promise.all(sources.map((db) => PouchDB.replicate(db, target, { batch_size: batchSize })));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const written = results.reduce((sum, result) => sum + result.docs_written, 0);
    if (written !== docs.length) throw new Error(`${run}: ${written} of ${docs.length} documents replicated`);
    console.log(JSON.stringify({ run, docs: written, seconds }));
  }

  await ingest('ingest1', 1);
  await ingest(`ingest${options.devices}`, options.devices);

  const tablet = client('download');
  const start = process.hrtime.bigint();
  const pulled = await PouchDB.replicate(url('ingest1'), tablet, { batch_size: batchSize });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (pulled.docs_written !== docs.length) throw new Error(`download: ${pulled.docs_written} of ${docs.length} documents`);
  console.log(JSON.stringify({ run: 'download', docs: pulled.docs_written, seconds }));

  const serverMemory = await ask(server.child, 'memory');
  console.log(JSON.stringify({ run: 'memory', client_kib: process.resourceUsage().maxRSS, server_kib: serverMemory.kib }));
  server.child.removeAllListeners('exit');
  await new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.send('stop');
  });
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3]);
} else {
  main().catch((error) => {
    console.error(`pouchdb peer: ${error.stack || error}`);
    process.exit(1);
  });
}
