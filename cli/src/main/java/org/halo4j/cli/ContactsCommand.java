package org.halo4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.halo4j.identity.ContactInfo;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;

/** {@code halo contacts}: the identity's circle, kept in its HALO. */
final class ContactsCommand {

    final HaloCommand halo;

    ContactsCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo contacts} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        ContactsCommand c = new ContactsCommand(halo);
        return Cmd.group("contacts", "The identity's contacts (its circle): list and add.")
                .sub(Cmd.command("list", l -> c.list(),
                        "List the contacts."))
                .sub(Cmd.command("add", l -> c.add(l.param(0), l.value("--name").orElse(null)),
                        "Add the identity DID to the contacts.")
                        .param("DID", "did:key of the contact.")
                        .option(Cmd.Opt.value("--name", "NAME", "The name you know them by.")));
    }

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

    int add(String did, String name)
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
