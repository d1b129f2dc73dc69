package org.halo4j.samples.webapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationText;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.HaloPrincipal;
import org.halo4j.spaces.Roles;

/**
 * The demo's pages. The filter in front has already decided who may see {@code /members} (any member) and
 * {@code /admin} (ADMIN or OWNER); these pages only show and change the space.
 */
final class Pages extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient DemoApp app;

    Pages(DemoApp app) {
        this.app = app;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        try {
            switch (path) {
                case "/" -> html(resp, req, "halo4j demo", home(req));
                case "/join" -> html(resp, req, "Join the demo space", join());
                case "/join.json" -> joinJson(resp);
                case "/members" -> html(resp, req, "Members", members(req, false));
                case "/admin", "/admin/" -> html(resp, req, "Admin", members(req, true));
                default -> {
                    resp.setStatus(404);
                    html(resp, req, "Not found", "<p>No page " + esc(path) + ".</p>");
                }
            }
        } catch (AgentException e) {
            resp.setStatus(503);
            html(resp, req, "Unavailable", "<p>" + esc(e.getMessage()) + "</p>");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        if (!app.origin().equals(req.getHeader("Origin"))) {
            resp.setStatus(403); // a form posted from another site
            html(resp, req, "Refused", "<p>Changes are made from this site's own pages.</p>");
            return;
        }
        try {
            PublicKey member = PublicKey.fromDidKey(String.valueOf(req.getParameter("did")));
            HaloPrincipal me = (HaloPrincipal) req.getUserPrincipal();
            switch (path) {
                case "/admin/role" -> {
                    SpaceRole role = Roles.parse(String.valueOf(req.getParameter("role")));
                    mayChange(me, member, role);
                    synchronized (app.agent()) {
                        app.agent().setRole(app.spaceId(), member, role);
                    }
                    DemoApp.log("role " + member.toDidKey() + " " + Roles.name(role) + " by " + me.did());
                }
                case "/admin/remove" -> {
                    mayChange(me, member, SpaceRole.SPACE_ROLE_REMOVED);
                    synchronized (app.agent()) {
                        app.agent().remove(app.spaceId(), member);
                    }
                    DemoApp.log("removed " + member.toDidKey() + " by " + me.did());
                }
                default -> {
                    resp.setStatus(404);
                    html(resp, req, "Not found", "<p>Nothing to post here.</p>");
                    return;
                }
            }
            resp.setStatus(303);
            resp.setHeader("Location", req.getContextPath() + "/admin");
        } catch (NotAllowed e) {
            resp.setStatus(403);
            html(resp, req, "Not allowed", "<p>" + esc(e.getMessage()) + "</p>");
        } catch (KeyFormatException | IllegalArgumentException e) {
            resp.setStatus(400);
            html(resp, req, "Not changed", "<p>" + esc(e.getMessage()) + "</p>");
        } catch (AgentException e) {
            resp.setStatus(409);
            html(resp, req, "Not changed", "<p>" + esc(e.getMessage()) + "</p><p><a href=\"/admin\">Back</a></p>");
        }
    }

    /** The path as the container maps it (decoded, without {@code ;parameters}): what the filter's rules saw. */
    private static String path(HttpServletRequest req) {
        String p = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        return p.isEmpty() ? "/" : p;
    }

    private static final class NotAllowed extends Exception {
        private static final long serialVersionUID = 1L;

        NotAllowed(String message) {
            super(message);
        }
    }

    /**
     * The site signs every change with its own identity, the space's OWNER: so the page itself holds the person
     * to the rules the space would hold them to if they signed (DESIGN §4 rule 2) — an ADMIN neither grants nor
     * touches OWNER, and nobody raises their own role.
     */
    private void mayChange(HaloPrincipal me, PublicKey member, SpaceRole role) throws AgentException, NotAllowed {
        SpaceRole mine;
        SpaceRole theirs;
        synchronized (app.agent()) {
            mine = app.agent().roleOf(app.spaceId(), me.identity()).orElse(SpaceRole.SPACE_ROLE_REMOVED);
            theirs = app.agent().roleOf(app.spaceId(), member).orElse(SpaceRole.SPACE_ROLE_REMOVED);
        }
        int rank = Roles.rank(mine);
        if (rank < Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
            throw new NotAllowed("changing roles needs ADMIN or OWNER; you are " + Roles.name(mine));
        }
        if (Roles.rank(role) > rank || Roles.rank(theirs) > rank) {
            throw new NotAllowed("an " + Roles.name(mine) + " cannot grant " + Roles.name(role) + " or change an "
                    + Roles.name(theirs));
        }
        if (member.equals(me.identity()) && Roles.rank(role) > Roles.rank(mine)) {
            throw new NotAllowed("nobody raises their own role");
        }
    }

    private String home(HttpServletRequest req) {
        String login = "halo login " + app.origin();
        return "<p>This site has no passwords. People log in with the <code>halo</code> wallet, on keys only their "
                + "devices hold, and see pages by their role in the space <b>" + esc(DemoApp.SPACE_NAME) + "</b>.</p>"
                + "<ol><li>Create an identity: <pre>halo identity create --name Alice</pre></li>"
                + "<li>Join the space (<a href=\"/join\">the demo invitation</a>).</li>"
                + "<li>Open <a href=\"/members\">Members</a>: the page shows a code; give it to your wallet: "
                + "<pre>halo login " + esc(app.origin()) + " --code CODE</pre></li>"
                + "<li>Or log the wallet itself in for API use: <pre>" + esc(login) + "</pre></li></ol>"
                + "<p><a href=\"/admin\">Admin</a> is for the space's ADMINs and OWNERs.</p>";
    }

    private String join() throws AgentException {
        HostedInvitation h = app.joinInvitation();
        String text = InvitationText.encode(h.invitation());
        return "<p class=\"warn\"><b>Demo only.</b> This invitation is public so that anyone can try the demo: "
                + "real deployments give invitations out privately, one person at a time (<code>halo space invite</code>), "
                + "and the code by another way than the invitation.</p>"
                + "<p>With the <code>halo</code> wallet:</p><pre id=\"join-command\">halo space join " + esc(text)
                + " --code " + esc(h.code()) + "</pre>"
                + "<p>It makes you a READER of <b>" + esc(DemoApp.SPACE_NAME) + "</b>. Then "
                + "<a href=\"/members\">log in</a>. Machine-readable: <a href=\"/join.json\">/join.json</a>.</p>";
    }

    private void joinJson(HttpServletResponse resp) throws IOException, AgentException {
        HostedInvitation h = app.joinInvitation();
        String body = "{\"invitation\":\"" + InvitationText.encode(h.invitation()) + "\",\"code\":\"" + h.code() + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private String members(HttpServletRequest req, boolean admin) throws AgentException {
        HaloPrincipal me = (HaloPrincipal) req.getUserPrincipal();
        List<MemberSummary> members;
        synchronized (app.agent()) {
            members = new java.util.ArrayList<>(app.agent().members(app.spaceId()));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<p>Logged in as <code id=\"me\">").append(esc(me.did())).append("</code>, ")
                .append(esc(members.stream().filter(m -> m.identity().equals(me.identity())).findFirst()
                        .map(m -> Roles.name(m.role())).orElse("-")))
                .append(" of ").append(esc(DemoApp.SPACE_NAME)).append(".</p>");
        sb.append("<table id=\"members\"><tr><th>Member</th><th>Role</th>").append(admin ? "<th>Change</th>" : "")
                .append("</tr>");
        members.sort(Comparator.comparing((MemberSummary m) -> -Roles.rank(m.role())).thenComparing(m -> m.identity().toDidKey()));
        for (MemberSummary m : members) {
            if (m.role() == SpaceRole.SPACE_ROLE_REMOVED && !admin) {
                continue;
            }
            String did = m.identity().toDidKey();
            sb.append("<tr><td><code>").append(esc(did)).append("</code>")
                    .append(m.identity().equals(me.identity()) ? " (you)" : "")
                    .append(m.name().map(n -> " " + esc(n)).orElse("")).append("</td><td class=\"role\">")
                    .append(Roles.name(m.role())).append("</td>");
            if (admin) {
                sb.append("<td><form method=\"post\" action=\"/admin/role\"><input type=\"hidden\" name=\"did\" value=\"")
                        .append(esc(did)).append("\"><select name=\"role\">");
                for (String r : List.of("READER", "EDITOR", "ADMIN", "OWNER")) {
                    sb.append("<option").append(r.equals(Roles.name(m.role())) ? " selected" : "").append('>').append(r)
                            .append("</option>");
                }
                sb.append("</select> <button>Set role</button></form>");
                if (m.role() != SpaceRole.SPACE_ROLE_REMOVED) {
                    sb.append("<form method=\"post\" action=\"/admin/remove\"><input type=\"hidden\" name=\"did\" value=\"")
                            .append(esc(did)).append("\"><button>Remove</button></form>");
                }
                sb.append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
        if (admin) {
            sb.append("<p>A removal or a lower role takes effect on that person's next request.</p>");
        }
        return sb.toString();
    }

    private void html(HttpServletResponse resp, HttpServletRequest req, String title, String body) throws IOException {
        String nav;
        if (req.getUserPrincipal() instanceof HaloPrincipal me) {
            nav = "<span>" + esc(me.did().substring(0, 20)) + "…</span> <form method=\"post\" class=\"inline\" "
                    + "action=\"/.well-known/halo/logout\"><button>Log out</button></form>";
        } else {
            nav = "<a href=\"/.well-known/halo/page?next=%2Fmembers\">Log in</a>";
        }
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + esc(title)
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
                + "color:#1d2330}header{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ddd;"
                + "padding-bottom:.5rem}header nav{margin-left:auto}pre{background:#f0f2f5;padding:.6rem;white-space:"
                + "pre-wrap;word-break:break-all}td,th{padding:.3rem .6rem;text-align:left}.warn{background:#fff4d6;"
                + "padding:.6rem}form{display:inline}</style></head><body><header><a href=\"/\"><b>halo4j demo</b></a>"
                + "<a href=\"/members\">Members</a><a href=\"/admin\">Admin</a><a href=\"/join\">Join</a><nav>" + nav
                + "</nav></header><h1>" + esc(title) + "</h1>" + body + "</body></html>";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                + "frame-ancestors 'none'");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
