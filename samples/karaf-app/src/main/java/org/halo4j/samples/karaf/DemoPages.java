package org.halo4j.samples.karaf;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The demo web app of halo4j inside Karaf: {@code /demo} (open: how to join), {@code /members} (any member of
 * the space "demo") and {@code /admin/} (its ADMINs and OWNERs). On first start it creates the space and adds
 * its two paths to halo4j's web login configuration ({@code org.halo4j.web}); the login itself, the sessions and
 * the role checks are all halo4j's filter.
 */
@Component(service = Servlet.class, immediate = true, property = {
        "osgi.http.whiteboard.servlet.pattern=/demo", "osgi.http.whiteboard.servlet.pattern=/members",
        "osgi.http.whiteboard.servlet.pattern=/admin/*", "osgi.http.whiteboard.servlet.name=halo4j-demo"})
public final class DemoPages extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String SPACE = "demo";
    static final String WEB_PID = "org.halo4j.web";

    private final transient SpaceMembershipService membership;
    private final String spaceId;

    /**
     * Starts only while halo4j's filter is there ({@code haloFilter}, a static reference): when the filter goes
     * (its configuration deleted, its bundle stopped), these pages go too, and are never served unprotected.
     */
    @Activate
    public DemoPages(@Reference SpaceMembershipService membership, @Reference ConfigurationAdmin configs,
                     @Reference(target = "(osgi.http.whiteboard.filter.name=halo4j)") Filter haloFilter)
            throws AgentException, IOException {
        this.membership = membership;
        String id = null;
        for (SpaceSummary s : membership.spaces()) {
            // the node's own "demo", not one of that name it joined elsewhere
            if (s.name().equals(SPACE) && s.myRole().filter(r -> r == SpaceRole.SPACE_ROLE_OWNER).isPresent()) {
                id = s.spaceId();
            }
        }
        this.spaceId = id != null ? id : membership.createSpace(SPACE).spaceId();
        protect(configs, List.of("/members=" + spaceId + ":READER", "/admin/*=" + spaceId + ":ADMIN"));
    }

    /** Adds the demo's rules to the web login's configuration, once; whatever else is there stays. */
    private static void protect(ConfigurationAdmin configs, List<String> rules) throws IOException {
        Configuration c = configs.getConfiguration(WEB_PID, "?");
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            props = new Hashtable<>();
            props.put("audience", "http://127.0.0.1:8181");
        }
        List<String> protect = new ArrayList<>();
        Object existing = props.get("protect");
        if (existing instanceof String[] a) {
            protect.addAll(Arrays.asList(a));
        } else if (existing instanceof String s && !s.isBlank()) {
            protect.add(s);
        }
        if (protect.containsAll(rules)) {
            return;
        }
        for (String r : rules) {
            if (!protect.contains(r)) {
                protect.add(r);
            }
        }
        props.put("protect", protect.toArray(String[]::new));
        c.update(props);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/html; charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        PrintWriter out = res.getWriter();
        String path = req.getServletPath();
        out.println("<!doctype html><meta charset=utf-8><title>halo4j in Karaf</title><h1>halo4j in Karaf</h1>");
        if (path.equals("/demo")) {
            out.println("<p>Space <code>" + SPACE + "</code> " + spaceId + ". To get in: an admin of this container runs "
                    + "<code>halo:space-invite demo</code> and hands you the invitation and its code; you run "
                    + "<code>halo space join INVITATION --code CODE</code>, then <code>halo login "
                    + escape(origin(req)) + "/members</code>.</p>");
            return;
        }
        // the filter lets nobody without the role get here; the page checks again all the same
        String role = role(req);
        boolean admin = role.equals("OWNER") || role.equals("ADMIN");
        if (req.getRemoteUser() == null || role.equals("not a member") || path.equals("/admin") && !admin) {
            res.setStatus(HttpServletResponse.SC_FORBIDDEN);
            out.println("<p>Not for you: this page needs a halo4j login with a role in space <code>" + SPACE
                    + "</code>.</p>");
            return;
        }
        out.println("<p>Hello <code>" + escape(req.getRemoteUser()) + "</code>, " + role + " of space <code>" + SPACE
                + "</code>.</p>");
        if (path.equals("/admin")) {
            out.println("<h2>Members</h2><ul>");
            try {
                for (MemberSummary m : membership.members(spaceId)) {
                    out.println("<li>" + Roles.name(m.role()) + " <code>" + m.did() + "</code>"
                            + m.name().map(n -> " " + escape(n)).orElse("") + "</li>");
                }
            } catch (AgentException e) {
                out.println("<li>members unavailable: " + escape(e.getMessage()) + "</li>");
            }
            out.println("</ul>");
        }
    }

    private String role(HttpServletRequest req) {
        for (String r : List.of("OWNER", "ADMIN", "EDITOR", "READER")) {
            if (req.isUserInRole("space:" + spaceId + ":" + r)) {
                return r;
            }
        }
        return "not a member";
    }

    private static String origin(HttpServletRequest req) {
        return req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
