package org.halo4j.credentials;

import com.google.protobuf.ByteString;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers chain links (AuthorizedDevice credentials, with their own chains) whose signatures and
 * consent were already verified, keyed by their exact bytes. A hit saves only the cryptography: structure,
 * revocation and validity at use are checked on every use. Bounded; when full, arbitrary entries leave.
 */
final class ChainCache {

    private final int capacity;
    private final ConcurrentHashMap<ByteString, Boolean> verified;

    ChainCache(int capacity) {
        this.capacity = capacity;
        this.verified = new ConcurrentHashMap<>(Math.max(16, Math.min(capacity, 1 << 16)));
    }

    boolean contains(ByteString link) {
        return capacity > 0 && verified.containsKey(link);
    }

    void add(ByteString link) {
        if (capacity <= 0) {
            return;
        }
        if (verified.size() >= capacity) {
            Iterator<ByteString> it = verified.keySet().iterator();
            for (int i = 0; i < Math.max(1, capacity / 8) && it.hasNext(); i++) {
                it.next();
                it.remove();
            }
        }
        verified.put(link, Boolean.TRUE);
    }

    int size() {
        return verified.size();
    }
}
