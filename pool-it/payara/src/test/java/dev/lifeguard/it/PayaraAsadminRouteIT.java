package dev.lifeguard.it;

import dev.lifeguard.it.app.EchoRoundTrip;
import dev.lifeguard.testkit.EchoServer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's route on Payara Server, as the README gives it: lifeguard.rar deployed on its own, a pool defined
 * with the asadmin script from docs/deploy, and a separate WAR that injects it by its global JNDI name.
 */
@ExtendWith(ArquillianExtension.class)
class PayaraAsadminRouteIT {
    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return ServerProbe.lifeguardRar();
    }

    @Deployment(name = "client", managed = false, testable = false)
    static WebArchive client() {
        return ShrinkWrap.create(WebArchive.class, "jndi-client.war").addClasses(InjectedPoolServlet.class,
                EchoRoundTrip.class);
    }

    @Test
    void anOperatorDefinesAPoolWithAsadminAndAnApplicationUsesIt() throws Exception {
        try (EchoServer echo = EchoServer.start(ServerProbe.ECHO_PORT)) {
            deployer.deploy("rar");
            try {
                script(ServerProbe.DOCS.resolve("payara-add-pool.sh"));
                deployer.deploy("client");
                try {
                    assertEquals("cli-echo:hello",
                            ServerProbe.get("/jndi-client/injected-echo?msg=hello"));
                    assertTrue(echo.accepted() >= 1);
                } finally {
                    deployer.undeploy("client");
                    script(ServerProbe.DOCS.resolve("payara-remove-pool.sh"));
                }
            } finally {
                deployer.undeploy("rar");
            }
            ServerProbe.assertNothingLeftBehind(echo);
        }
    }

    /** Runs a docs asadmin script against the test server, pointed at the test backend instead of Redis. */
    private static void script(Path script) throws Exception {
        ServerProbe.runDocsScript(script, copy -> List.of("bash", copy.toString()),
                Map.of("PAYARA_HOME", System.getProperty("payara.home")));
    }
}
