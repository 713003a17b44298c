package dev.lifeguard.it;

import dev.lifeguard.it.app.EchoRoundTrip;
import dev.lifeguard.it.app.JndiProbeServlet;
import dev.lifeguard.testkit.EchoServer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's route on WildFly, as the README gives it: deploy lifeguard.rar on its own, define a pool with the
 * CLI script from docs/deploy, and use it from a separate WAR (which declares its dependency on the RAR).
 */
@ExtendWith(ArquillianExtension.class)
class WildFlyCliRouteIT {
    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return ServerProbe.lifeguardRar();
    }

    @Deployment(name = "client", managed = false, testable = false)
    static WebArchive client() {
        return ShrinkWrap.create(WebArchive.class, "jndi-client.war").addClasses(JndiProbeServlet.class,
                        EchoRoundTrip.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.lifeguard.rar\n"));
    }

    @Test
    void anOperatorDefinesAPoolWithTheCliAndAnApplicationUsesIt() throws Exception {
        try (EchoServer echo = EchoServer.start(ServerProbe.ECHO_PORT)) {
            deployer.deploy("rar");
            cli(ServerProbe.DOCS.resolve("wildfly-add-pool.cli"));
            try (JMXConnector jmx = ServerProbe.connectJmx()) {
                assertTrue(jmx.getMBeanServerConnection().isRegistered(
                        new ObjectName("dev.lifeguard:type=Pool,name=cli-echo")), "pool made on activation");
            }
            deployer.deploy("client");
            assertEquals("cli-echo:hello",
                    ServerProbe.get("/jndi-client/jndi-echo?jndi=java:/lifeguard/cli-echo&msg=hello"));
            assertTrue(echo.accepted() >= 1);
            deployer.undeploy("client");
            cli(ServerProbe.DOCS.resolve("wildfly-remove-pool.cli"));
            deployer.undeploy("rar");
            ServerProbe.assertNothingLeftBehind(echo);
        }
    }

    /** Runs a docs CLI script against the test server, pointed at the test backend instead of Redis. */
    private static void cli(Path script) throws Exception {
        String cli = System.getProperty("jboss.home") + "/bin/jboss-cli.sh";
        ServerProbe.runDocsScript(script, copy -> List.of(cli, "-c", "--file=" + copy), Map.of());
    }
}
