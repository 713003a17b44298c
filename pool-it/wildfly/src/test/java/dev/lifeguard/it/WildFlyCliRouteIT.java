package dev.lifeguard.it;

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

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    private static final Path DOCS = Path.of(System.getProperty("lifeguard.docs", "../../docs/deploy"));

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class,
                new File(System.getProperty("lifeguard.rar", "target/lifeguard.rar")));
    }

    @Deployment(name = "client", managed = false, testable = false)
    static WebArchive client() {
        return ShrinkWrap.create(WebArchive.class, "jndi-client.war").addClass(JndiProbeServlet.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.lifeguard.rar\n"));
    }

    @Test
    void anOperatorDefinesAPoolWithTheCliAndAnApplicationUsesIt() throws Exception {
        try (EchoServer echo = EchoServer.start(ServerProbe.ECHO_PORT)) {
            deployer.deploy("rar");
            cli(DOCS.resolve("wildfly-add-pool.cli"));
            try (JMXConnector jmx = ServerProbe.connectJmx()) {
                assertTrue(jmx.getMBeanServerConnection().isRegistered(
                        new ObjectName("dev.lifeguard:type=Pool,name=cli-echo")), "pool made on activation");
            }
            deployer.deploy("client");
            assertEquals("cli-echo:hello",
                    ServerProbe.get("/jndi-client/jndi-echo?jndi=java:/lifeguard/cli-echo&msg=hello"));
            assertTrue(echo.accepted() >= 1);
            deployer.undeploy("client");
            cli(DOCS.resolve("wildfly-remove-pool.cli"));
            deployer.undeploy("rar");
            ServerProbe.assertNothingLeftBehind(echo);
        }
    }

    /** Runs a docs CLI script against the test server, pointed at the test backend instead of Redis. */
    private static void cli(Path script) throws Exception {
        String text = Files.readString(script, StandardCharsets.UTF_8)
                .replace("redis", "cli-echo")
                .replace("6379", String.valueOf(ServerProbe.ECHO_PORT))
                .replace("+PONG", "PING"); // the echo backend answers PING with PING
        Path file = Files.createTempFile("lifeguard", ".cli");
        Files.writeString(file, text);
        String home = System.getProperty("jboss.home");
        Process p = new ProcessBuilder(home + "/bin/jboss-cli.sh", "-c", "--file=" + file)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "jboss-cli did not finish");
        assertEquals(0, p.exitValue(), "jboss-cli failed on " + script + ":\n" + out);
        Files.delete(file);
    }
}
