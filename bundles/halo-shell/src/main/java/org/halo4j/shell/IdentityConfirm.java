package org.halo4j.shell;

import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
/** {@code halo:identity-confirm}: confirms the backup with the 24 words as written down; the phrase and identity key then leave this container. */
@Command(scope = "halo", name = "identity-confirm", description = "Confirms the backup with the 24 words as written down; the phrase and identity key then leave this container.")
@Service
public final class IdentityConfirm implements Action {

    @Reference
    IdentityService identity;

    @Argument(index = 0, name = "words", description = "the 24 words, in order", required = true, multiValued = true)
    List<String> words;

    @Override
    public Object execute() throws Exception {
        try (RecoveryPhrase typed = RecoveryPhrase.parse(String.join(" ", words).toCharArray())) {
            identity.confirmBackup(typed);
            System.out.println("Backup confirmed: the recovery phrase and the identity key are gone from this container.");
            return null;
        } catch (KeyFormatException e) {
            throw new Shell.CommandException("input.phrase", e.getMessage());
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
