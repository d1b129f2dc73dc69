package org.halo4j.internal.wire;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.errors.RejectionCode;

/** google.protobuf.Timestamp ↔ Instant, with the Timestamp range checked before conversion. */
public final class Timestamps {

    /** 0001-01-01T00:00:00Z. */
    public static final long MIN_SECONDS = -62135596800L;
    /** 9999-12-31T23:59:59Z. */
    public static final long MAX_SECONDS = 253402300799L;

    private Timestamps() {
    }

    public static Instant toInstant(Timestamp t, String what) throws MalformedCredentialException {
        if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
            throw new MalformedCredentialException(RejectionCode.INVALID_FIELD, what + " is outside the range of a timestamp");
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    public static Timestamp of(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
