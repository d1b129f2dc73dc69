package org.halo4j.servlet.internal;

import java.util.Objects;
import org.halo4j.servlet.HaloPrincipal;

/** One live session: who logged in, with what is needed to re-check the login's chain on every request. */
public record Session(HaloPrincipal principal) {

    public Session {
        Objects.requireNonNull(principal);
    }
}
