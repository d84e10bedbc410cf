package io.nativenio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.Env;
import io.nativenio.it.containers.OnEachJdk;
import io.nativenio.it.containers.ProgramRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real network and injected faults: a plain NIO echo server (FaultServer) and three client containers
 * (FaultClient) on their own container network, all on the provider. One client container is killed, one
 * is disconnected from the network, and one (the survivor) keeps doing round trips through both faults.
 * The server must report the killed peer's connections as the JDK does (end of stream or "Connection
 * reset"), close the silent ones by its idle timeout, keep serving the survivor without a stall, and end
 * with its open-fd count where it was before any client came.
 */
class FaultIT extends ContainerTest {
    static final int PORT = 7000;
    static final int VICTIM_CONNS = 10;
    static final int SURVIVOR_CONNS = 5;

    private static GenericContainer<?> program(String jdk, Network net, String alias, String main, String... args) {
        List<String> cmd = ProgramRun.javaCommand(240, main, args);
        return ProgramRun.container(jdk).withNetwork(net).withNetworkAliases(alias)
                .withCommand(cmd.toArray(new String[0]))
                .waitingFor(Wait.forLogMessage(".*IT (listening|connected).*\\n", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    private static String ip(GenericContainer<?> c) {
        return c.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    @OnEachJdk
    void killAndDisconnectPeers(String jdk) throws Exception {
        Compat.record("Fault injection", jdk, "NIO echo server + 3 client containers on a container network:"
                + " one killed, one disconnected, survivor served; fd count restored", () -> {
            List<GenericContainer<?>> all = new ArrayList<>();
            try (Network net = Network.newNetwork()) {
                GenericContainer<?> server = program(jdk, net, "server", "FaultServer", String.valueOf(PORT), "2000", "200");
                all.add(server);
                server.start();
                int baseline = waitStatus(server, -1, null, 10);

                GenericContainer<?> killed = program(jdk, net, "killed", "FaultClient", "server", String.valueOf(PORT),
                        String.valueOf(VICTIM_CONNS), "60");
                GenericContainer<?> cut = program(jdk, net, "cut", "FaultClient", "server", String.valueOf(PORT),
                        String.valueOf(VICTIM_CONNS), "60");
                GenericContainer<?> survivor = program(jdk, net, "survivor", "FaultClient", "server",
                        String.valueOf(PORT), String.valueOf(SURVIVOR_CONNS), "10");
                all.add(killed);
                all.add(cut);
                all.add(survivor);
                killed.start();
                cut.start();
                survivor.start();
                String killedIp = ip(killed), cutIp = ip(cut), survivorIp = ip(survivor);
                waitStatus(server, 2 * VICTIM_CONNS + SURVIVOR_CONNS, null, 20);

                Thread.sleep(1000);
                killed.getDockerClient().killContainerCmd(killed.getContainerId()).exec();
                cut.getDockerClient().disconnectFromNetworkCmd().withNetworkId(net.getId())
                        .withContainerId(cut.getContainerId()).withForce(true).exec();

                Integer code = survivor.getDockerClient().waitContainerCmd(survivor.getContainerId()).start()
                        .awaitStatusCode(60, TimeUnit.SECONDS);
                String slog = survivor.getLogs();
                assertEquals(0, code, "survivor exit code; its log:\n" + slog);
                assertTrue(slog.contains("IT ok"), "survivor log:\n" + slog);
                long maxGap = Long.parseLong(find(slog, "IT result maxGapMs (\\d+)"));
                assertTrue(maxGap < 1500, "the survivor waited " + maxGap + " ms for a round trip");
                assertTrue(slog.contains("IT channel client.SocketChannel " + (Env.CONTROL ? "sun.nio.ch." : ProgramRun.OURS)),
                        "survivor's channel: " + slog);

                // Everything closed: back to the fd count from before the first client.
                waitStatus(server, 0, baseline, 20);
                String log = server.getLogs();
                assertTrue(server.isRunning(), "the server died:\n" + log);
                List<String> kReasons = reasons(log, killedIp), cReasons = reasons(log, cutIp),
                        sReasons = reasons(log, survivorIp);
                assertEquals(VICTIM_CONNS, kReasons.size(), "closes of the killed peer's connections:\n" + log);
                for (String r : kReasons) {
                    // a read sees the reset as the JDK's SocketException; a write that is still pending when it
                    // arrives (short writes under the compatibility-testing mode) as the JDK's IOException
                    assertTrue(r.equals("eof") || r.equals("java.net.SocketException: Connection reset")
                            || r.equals("java.io.IOException: Connection reset by peer")
                            || r.equals("java.io.IOException: Broken pipe"),
                            "killed peer's connection ended with " + r);
                }
                assertEquals(List.of(), cReasons.stream().filter(r -> !r.equals("timeout")).toList(),
                        "disconnected peer's connections must end by the idle timeout");
                assertEquals(VICTIM_CONNS, cReasons.size(), "closes of the disconnected peer's connections:\n" + log);
                assertEquals(SURVIVOR_CONNS, sReasons.stream().filter(r -> r.equals("eof")).count(),
                        "survivor's connections: " + sReasons);
                String prefix = Env.CONTROL ? "sun.nio.ch." : ProgramRun.OURS;
                for (String role : new String[] {"server.ServerSocketChannel", "server.selector", "server.accepted"}) {
                    String cls = find(log, "IT channel " + Pattern.quote(role) + " (\\S+)");
                    assertTrue(cls.startsWith(prefix), role + " is a " + cls);
                }
                System.out.printf("nativenio it-tests: fault injection on %s: killed peer %s, cut peer by"
                        + " timeout, survivor max gap %d ms, fds back to %d%n", jdk, kReasons.stream().distinct().toList(),
                        maxGap, baseline);
                return null;
            } finally {
                for (GenericContainer<?> c : all) {
                    try {
                        c.stop();
                    } catch (RuntimeException ignored) {
                        // already gone
                    }
                }
            }
        });
    }

    /** Waits for a status line (conns, optionally fds) and returns its fd count; conns -1 = the first one. */
    private static int waitStatus(GenericContainer<?> server, int conns, Integer fds, int seconds)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Pattern p = Pattern.compile("IT status conns (\\d+) fds (\\d+)");
        String log = "";
        while (System.nanoTime() < end) {
            log = server.getLogs();
            Matcher m = p.matcher(log);
            int c = -2, f = -2;
            while (m.find()) {
                c = Integer.parseInt(m.group(1));
                f = Integer.parseInt(m.group(2));
                if (conns == -1) return f;
            }
            if (c == conns && (fds == null || f == fds)) return f;
            Thread.sleep(200);
        }
        fail("server status never reached conns " + conns + (fds == null ? "" : " fds " + fds) + "; log:\n" + log);
        return -1;
    }

    private static List<String> reasons(String log, String ip) {
        List<String> l = new ArrayList<>();
        Matcher m = Pattern.compile("IT closed /" + Pattern.quote(ip) + ":\\d+ (.*)").matcher(log);
        while (m.find()) l.add(m.group(1).trim());
        return l;
    }

    private static String find(String log, String regex) {
        Matcher m = Pattern.compile(regex).matcher(log);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + log);
        return m.group(1);
    }
}
