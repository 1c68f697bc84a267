#include "support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sigess::testing {

std::uint16_t freeLoopbackPort()
{
    const int socketFd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(socketFd, reinterpret_cast<sockaddr *>(&address), sizeof address);
    ::getsockname(socketFd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(socketFd);
    return ntohs(address.sin_port);
}

} // namespace sigess::testing
