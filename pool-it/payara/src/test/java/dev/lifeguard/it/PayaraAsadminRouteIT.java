package dev.lifeguard.it;

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

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's route on Payara Server, as the README gives it: lifeguard.rar deployed on its own, a pool defined
 * with the asadmin script from docs/deploy, and a separate WAR that injects it by its global JNDI name.
 */
@ExtendWith(ArquillianExtension.class)
class PayaraAsadminRouteIT {
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
        return ShrinkWrap.create(WebArchive.class, "jndi-client.war").addClass(InjectedPoolServlet.class);
    }

    @Test
    void anOperatorDefinesAPoolWithAsadminAndAnApplicationUsesIt() throws Exception {
        try (EchoServer echo = EchoServer.start(ServerProbe.ECHO_PORT)) {
            deployer.deploy("rar");
            try {
                script(DOCS.resolve("payara-add-pool.sh"));
                deployer.deploy("client");
                try {
                    assertEquals("cli-echo:hello",
                            ServerProbe.get("/jndi-client/injected-echo?msg=hello"));
                    assertTrue(echo.accepted() >= 1);
                } finally {
                    deployer.undeploy("client");
                    script(DOCS.resolve("payara-remove-pool.sh"));
                }
            } finally {
                deployer.undeploy("rar");
            }
            ServerProbe.assertNothingLeftBehind(echo);
        }
    }

    /** Runs a docs script against the test server, pointed at the test backend instead of Redis. */
    private static void script(Path script, String... args) throws Exception {
        String text = Files.readString(script, StandardCharsets.UTF_8)
                .replace("redis", "cli-echo")
                .replace("6379", String.valueOf(ServerProbe.ECHO_PORT))
                .replace("+PONG", "PING"); // the echo backend answers PING with PING
        Path file = Files.createTempFile("lifeguard", ".sh");
        Files.writeString(file, text);
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = file.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PAYARA_HOME", System.getProperty("payara.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "script did not finish");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        Files.delete(file);
    }
}
