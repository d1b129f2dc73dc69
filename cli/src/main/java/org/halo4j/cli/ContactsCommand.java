package org.halo4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.halo4j.identity.ContactInfo;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code halo contacts}: the identity's circle, kept in its HALO. */
@Command(name = "contacts", description = "The identity's contacts (its circle): list and add.")
final class ContactsCommand extends Group {

    @ParentCommand
    HaloCommand halo;

    @Command(name = "list", description = "List the contacts.")
    int list() throws Exception {
        List<ContactInfo> contacts = halo.withReader(agent -> agent.state().contacts());
        List<Object> json = new ArrayList<>();
        for (ContactInfo c : contacts) {
            Map<String, Object> o = Json.object();
            o.put("did", c.did());
            o.put("name", c.name());
            o.put("explicit", c.explicit());
            json.add(o);
        }
        halo.print(json, () -> {
            Table t = new Table("DID", "NAME");
            for (ContactInfo c : contacts) {
                t.row(c.did(), c.name() == null || c.name().isEmpty() ? "-" : c.name());
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    @Command(name = "add", description = "Add the identity DID to the contacts.")
    int add(@Parameters(paramLabel = "DID", description = "did:key of the contact.") String did,
            @Option(names = "--name", paramLabel = "NAME", description = "The name you know them by.") String name)
            throws Exception {
        PublicKey contact = Args.identity(did);
        String shown = name == null ? "" : name;
        halo.withAgent(agent -> {
            agent.addContact(contact, shown);
            return null;
        });
        Map<String, Object> o = Json.object();
        o.put("did", contact.toDidKey());
        o.put("name", shown);
        halo.print(o, () -> halo.out("Added " + contact.toDidKey() + (shown.isEmpty() ? "" : " (" + shown + ")")));
        return ExitCode.OK;
    }
}
