package org.halo4j.shiro;

import org.apache.shiro.authc.AuthenticationException;

/** A refused HALO login, with its reason code ({@code presentation.replayed}, {@code device.revoked}, …). */
public class HaloAuthenticationException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public HaloAuthenticationException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The reason code, as the servlet filter reports it. */
    public String code() {
        return code;
    }
}
