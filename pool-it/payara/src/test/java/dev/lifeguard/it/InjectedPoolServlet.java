package dev.lifeguard.it;

import dev.lifeguard.it.app.EchoRoundTrip;
import dev.lifeguard.tcp.TcpPool;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A separate application on Payara using a pool defined with asadmin. Under Payara's default ("derived")
 * connector class loading, an application sees a standalone RAR's classes only when it declares a reference to one
 * of its resources: the {@code @Resource(lookup = ...)} below is that declaration.
 */
@WebServlet("/injected-echo")
public class InjectedPoolServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource(lookup = "lifeguard/cli-echo")
    private TcpPool pool;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write(EchoRoundTrip.echoThrough(pool, req.getParameter("msg")));
    }
}
