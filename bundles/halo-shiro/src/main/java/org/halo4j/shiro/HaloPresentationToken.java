package org.halo4j.shiro;

import java.util.Objects;
import org.apache.shiro.authc.HostAuthenticationToken;

/**
 * A login with a HALO presentation: the encoded {@code halo.v1.Presentation} the wallet signed for one of this
 * site's challenges. Who it is stays unknown until {@link HaloRealm} has verified it: {@link #getPrincipal()} is
 * the presentation itself, never a claimed name.
 */
public final class HaloPresentationToken implements HostAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final byte[] presentation;
    private final String host;

    public HaloPresentationToken(byte[] presentation) {
        this(presentation, null);
    }

    /** @param host the client's address, for Shiro's records (may be null) */
    public HaloPresentationToken(byte[] presentation, String host) {
        this.presentation = Objects.requireNonNull(presentation).clone();
        this.host = host;
    }

    /** A copy of the encoded presentation. */
    public byte[] presentation() {
        return presentation.clone();
    }

    @Override
    public Object getPrincipal() {
        return "HALO presentation (" + presentation.length + " bytes)";
    }

    @Override
    public Object getCredentials() {
        return presentation();
    }

    @Override
    public String getHost() {
        return host;
    }
}
