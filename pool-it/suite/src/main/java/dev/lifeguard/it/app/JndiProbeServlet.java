package dev.lifeguard.it.app;

import dev.lifeguard.Lease;
import dev.lifeguard.tcp.TcpPool;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * For pools an operator defined with the server's own tools (WildFly CLI, Payara asadmin): looks the pool up by
 * its JNDI name and does one request/response through it.
 */
@WebServlet("/jndi-echo")
public class JndiProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            TcpPool pool = (TcpPool) new InitialContext().lookup(req.getParameter("jndi"));
            byte[] msg = (req.getParameter("msg") + "\n").getBytes(StandardCharsets.UTF_8);
            try (Lease<Socket> lease = pool.acquire()) {
                lease.connection().getOutputStream().write(msg);
                byte[] reply = lease.connection().getInputStream().readNBytes(msg.length);
                resp.getWriter().write(Arrays.equals(msg, reply) ? pool.name() + ":" + req.getParameter("msg")
                        : "WRONG REPLY");
            }
        } catch (NamingException | RuntimeException e) {
            resp.setStatus(500);
            resp.getWriter().write("ERROR " + e);
        }
    }
}
