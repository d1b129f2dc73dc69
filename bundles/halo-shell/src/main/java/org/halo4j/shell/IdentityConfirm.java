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
import org.apache.karaf.shell.api.console.Session;
/**
 * {@code halo:identity-confirm}: confirms the backup with the 24 words as written down, asked for on the terminal
 * (masked, never as arguments); the phrase and identity key then leave this container.
 */
@Command(scope = "halo", name = "identity-confirm", description = "Confirms the backup: asks for the 24 words as written down; the phrase and identity key then leave this container.")
@Service
public final class IdentityConfirm implements Action {

    @Reference
    IdentityService identity;

    @Reference
    Session session;

    @Argument(index = 0, name = "words", description = "not here: the command asks for the words (typed as "
            + "arguments they would stay in the shell's history)", multiValued = true)
    List<String> words;

    @Override
    public Object execute() throws Exception {
        if (words != null && !words.isEmpty()) {
            throw new Shell.CommandException("input.phrase", "do not type the recovery phrase as arguments: they stay "
                    + "in the shell's history. Run halo:identity-confirm alone; it asks for the words");
        }
        String typed = session.readLine("The 24 words, in order: ", '*');
        if (typed == null || typed.isBlank()) {
            throw new Shell.CommandException("input.phrase", "no words typed; nothing changed");
        }
        try (RecoveryPhrase phrase = RecoveryPhrase.parse(typed.toCharArray())) {
            identity.confirmBackup(phrase);
            System.out.println("Backup confirmed: the recovery phrase and the identity key are gone from this container.");
            return null;
        } catch (KeyFormatException e) {
            throw new Shell.CommandException("input.phrase", e.getMessage());
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
