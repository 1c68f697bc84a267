// A set of objects owned elsewhere (connections), tracked by weak reference so that
// being listed never keeps one alive. Used for the sync hub and for draining sessions.
// Thread safety: all members may be called from any thread; snapshot() copies the weak
// references under the lock and locks them outside it, so callers act on the objects
// without holding the registry's lock.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sigess::net {

template <typename T>
class WeakRegistry {
public:
    void add(const T *key, std::weak_ptr<T> object)
    {
        const std::lock_guard lock(m_mutex);
        m_objects.emplace(key, std::move(object));
    }

    // Returns how many remain, so the caller can tell when the last one left.
    std::size_t remove(const T *key)
    {
        const std::lock_guard lock(m_mutex);
        m_objects.erase(key);
        return m_objects.size();
    }

    std::size_t size() const
    {
        const std::lock_guard lock(m_mutex);
        return m_objects.size();
    }

    std::vector<std::shared_ptr<T>> snapshot() const
    {
        std::vector<std::weak_ptr<T>> weak;
        {
            const std::lock_guard lock(m_mutex);
            weak.reserve(m_objects.size());
            for (const auto &entry : m_objects)
                weak.push_back(entry.second);
        }
        std::vector<std::shared_ptr<T>> live;
        live.reserve(weak.size());
        for (const auto &object : weak) {
            if (auto strong = object.lock())
                live.push_back(std::move(strong));
        }
        return live;
    }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<const T *, std::weak_ptr<T>> m_objects;
};

} // namespace sigess::net
