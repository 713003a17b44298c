package dev.lifeguard.it.app;

import dev.lifeguard.tcp.TcpPool;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
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
            resp.getWriter().write(EchoRoundTrip.echoThrough(pool, req.getParameter("msg")));
        } catch (NamingException | RuntimeException e) {
            resp.setStatus(500);
            resp.getWriter().write("ERROR " + e);
        }
    }
}
