package org.halo4j.net;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.halo4j.proto.v1.PeerMessage;

/** Strict decoding of {@link PeerMessage}s: bounded size and depth, no unknown field, canonical bytes. */
final class PeerMessages {

    private static final int MAX_DEPTH = 32;

    private PeerMessages() {
    }

    static PeerMessage decode(byte[] bytes, int maxBytes) throws PeerException {
        if (bytes.length > maxBytes) {
            throw new PeerException("peer.too_big", "a peer message is at most " + maxBytes + " bytes, not " + bytes.length);
        }
        PeerMessage m;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(MAX_DEPTH);
            in.setSizeLimit(maxBytes);
            m = PeerMessage.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException | RuntimeException e) {
            throw new PeerException("peer.protocol", "the peer sent " + bytes.length
                    + " bytes that are not a halo.v1 peer message");
        }
        if (m.getKindCase() == PeerMessage.KindCase.KIND_NOT_SET) {
            throw new PeerException("peer.protocol", "the peer sent a message of a kind this version does not know");
        }
        if (!unknownFree(m, 0)) {
            throw new PeerException("peer.protocol", "the peer sent a " + m.getKindCase().name().toLowerCase(java.util.Locale.ROOT)
                    + " message with a field this version does not know");
        }
        if (!java.util.Arrays.equals(m.toByteArray(), bytes)) {
            throw new PeerException("peer.protocol", "the peer sent a message that is not in canonical form");
        }
        return m;
    }

    private static boolean unknownFree(Message m, int depth) {
        if (depth > MAX_DEPTH || !m.getUnknownFields().asMap().isEmpty()) {
            return false;
        }
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.getKey().isRepeated()) {
                for (Object o : (List<?>) f.getValue()) {
                    if (!unknownFree((Message) o, depth + 1)) {
                        return false;
                    }
                }
            } else if (!unknownFree((Message) f.getValue(), depth + 1)) {
                return false;
            }
        }
        return true;
    }
}
