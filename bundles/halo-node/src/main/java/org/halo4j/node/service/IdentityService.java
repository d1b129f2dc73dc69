package org.halo4j.node.service;

import java.util.Map;
import java.util.Optional;
import org.halo4j.identity.IdentityState;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.node.agent.AgentException;

/** The identity a node acts for (DESIGN §6): its HALO, profile, devices and recovery phrase backup. */
public interface IdentityService {

    /** The identity's DID. */
    String did();

    /** The identity's HALO as replayed now: devices, profile, contacts. */
    IdentityState state() throws AgentException;

    /** Writes the profile (display name and properties) into the HALO. */
    void setProfile(String name, Map<String, String> properties) throws AgentException;

    /** Revokes one of the identity's devices (not this node's own). */
    void revokeDevice(PublicKey device) throws AgentException;

    /**
     * The recovery phrase while it is still kept in the keyring (before the backup is confirmed); the caller
     * closes it. Empty once confirmed.
     */
    Optional<RecoveryPhrase> recoveryPhrase() throws AgentException;

    /** True once the backup is confirmed and the phrase and identity key are gone from the keyring. */
    boolean backupConfirmed() throws AgentException;

    /** Confirms the backup with the phrase as written down; wrong words are refused and nothing changes. */
    void confirmBackup(RecoveryPhrase typed) throws AgentException;
}
