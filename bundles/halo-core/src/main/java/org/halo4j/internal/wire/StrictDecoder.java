package org.halo4j.internal.wire;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.proto.v1.Chain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;
import org.halo4j.proto.v1.Proof;

/**
 * Parses protobuf bytes strictly (DESIGN §3): the size is bounded before parsing, nesting is bounded while
 * parsing, unknown fields are rejected, and the message must re-encode to exactly the received bytes, so
 * that a duplicated field, a default value written out or a padded varint is refused. Same bytes, one
 * meaning, in every parser.
 */
public final class StrictDecoder {

    private StrictDecoder() {
    }

    /**
     * Parses {@code bytes} as a {@code what} with {@code parser}.
     *
     * @throws LimitExceededException      if {@code bytes} is larger than {@link Limits#MAX_MESSAGE_BYTES}
     * @throws MalformedCredentialException if it does not parse, has unknown fields or is not canonical
     */
    public static <T extends Message> T parse(Parser<T> parser, ByteString bytes, String what)
            throws MalformedCredentialException, LimitExceededException {
        return parse(parser, bytes, what, Limits.MAX_MESSAGE_BYTES);
    }

    /**
     * Parses {@code bytes} as a {@code what} with {@code parser}, bounded by {@code maxBytes} instead of
     * {@link Limits#MAX_MESSAGE_BYTES}: only for a message that carries several messages which are each bounded
     * by that limit (a fork proof holds two feed entries).
     *
     * @throws LimitExceededException      if {@code bytes} is larger than {@code maxBytes}
     * @throws MalformedCredentialException if it does not parse, has unknown fields or is not canonical
     */
    public static <T extends Message> T parse(Parser<T> parser, ByteString bytes, String what, int maxBytes)
            throws MalformedCredentialException, LimitExceededException {
        checkSize(bytes.size(), what, maxBytes);
        T message;
        try {
            CodedInputStream in = bytes.newCodedInput();
            in.setRecursionLimit(Limits.MAX_NESTING);
            in.setSizeLimit(maxBytes);
            message = parser.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException | RuntimeException e) {
            // The protobuf runtime's own wording ("end-group tag did not match …") means nothing to a person.
            throw new MalformedCredentialException(RejectionCode.MALFORMED, what + " does not parse: these "
                    + bytes.size() + " bytes are not a halo.v1 message (truncated, damaged, or another kind of file)");
        }
        requireNoUnknownFields(message, what);
        if (!message.toByteString().equals(bytes)) {
            throw new MalformedCredentialException(RejectionCode.NON_CANONICAL,
                    what + " is not in canonical form (a field repeated, a default value written, or fields out of order)");
        }
        return message;
    }

    /** Parses {@code bytes} strictly; see {@link #parse(Parser, ByteString, String)}. */
    public static <T extends Message> T parse(Parser<T> parser, byte[] bytes, String what)
            throws MalformedCredentialException, LimitExceededException {
        if (bytes == null) {
            throw new MalformedCredentialException(RejectionCode.MALFORMED, what + " is missing");
        }
        checkSize(bytes.length, what);
        return parse(parser, ByteString.copyFrom(bytes), what);
    }

    /** Rejects sizes above {@link Limits#MAX_MESSAGE_BYTES} before any work. */
    public static void checkSize(int size, String what) throws LimitExceededException {
        checkSize(size, what, Limits.MAX_MESSAGE_BYTES);
    }

    /** Rejects sizes above {@code maxBytes} before any work. */
    public static void checkSize(int size, String what, int maxBytes) throws LimitExceededException {
        if (size > maxBytes) {
            throw new LimitExceededException(RejectionCode.LIMIT_MESSAGE_SIZE,
                    what + " is " + size + " bytes; the limit is " + maxBytes);
        }
    }

    /**
     * Rejects unknown fields anywhere in {@code message}. The envelope types of halo.v1 are walked directly
     * (they are on every hot path); any other message is walked through its descriptor.
     */
    public static void requireNoUnknownFields(Message message, String what) throws MalformedCredentialException {
        if (!unknownFieldsFree(message)) {
            throw new MalformedCredentialException(RejectionCode.UNKNOWN_FIELD, what + " has a field this version does not know");
        }
    }

    private static boolean unknownFieldsFree(Message m) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            return false;
        }
        if (m instanceof Credential c) {
            return !c.hasProof() || unknownFieldsFree(c.getProof());
        }
        if (m instanceof Proof p) {
            return !p.hasChain() || unknownFieldsFree(p.getChain());
        }
        if (m instanceof Chain ch) {
            return !ch.hasCredential() || unknownFieldsFree(ch.getCredential());
        }
        if (m instanceof CredentialBody b) {
            return (!b.hasIssuedAt() || unknownFieldsFree(b.getIssuedAt()))
                    && (!b.hasExpiresAt() || unknownFieldsFree(b.getExpiresAt()))
                    && (!b.hasAssertion() || unknownFieldsFree(b.getAssertion()));
        }
        if (m instanceof Presentation pr) {
            if (pr.hasProof() && !unknownFieldsFree(pr.getProof())) {
                return false;
            }
            for (Credential c : pr.getCredentialsList()) {
                if (!unknownFieldsFree(c)) {
                    return false;
                }
            }
            return true;
        }
        if (m instanceof PresentationBody pb) {
            return !pb.hasIssuedAt() || unknownFieldsFree(pb.getIssuedAt());
        }
        if (m instanceof Timestamp || m instanceof Any) {
            return true; // only scalar fields below
        }
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.getKey().isRepeated()) {
                for (Object o : (List<?>) f.getValue()) {
                    if (!unknownFieldsFree((Message) o)) {
                        return false;
                    }
                }
            } else if (!unknownFieldsFree((Message) f.getValue())) {
                return false;
            }
        }
        return true;
    }
}
