package org.halo4j.shell;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
/** {@code halo:identity-phrase}: shows the 24-word recovery phrase once, until the backup is confirmed. */
@Command(scope = "halo", name = "identity-phrase", description = "Shows the 24-word recovery phrase once, until the backup is confirmed.")
@Service
public final class IdentityPhrase implements Action {

    @Reference
    IdentityService identity;

    @Override
    public Object execute() throws Exception {
        try (RecoveryPhrase phrase = identity.recoveryPhrase().orElse(null)) {
            if (phrase == null) {
                throw new Shell.CommandException("identity.backup_confirmed", "the backup is confirmed and the phrase "
                        + "is gone from this container; only the written copy remains");
            }
            System.out.println("Write these 24 words down, in order, and keep them offline. Anyone who has them is");
            System.out.println("this identity. Then run halo:identity-confirm, which asks for them.");
            System.out.println();
            char[] words = phrase.toChars();
            try {
                System.out.println(words);
            } finally {
                java.util.Arrays.fill(words, '\0');
            }
            return null;
        } catch (AgentException e) {
            throw Shell.fail(e);
        }
    }
}
