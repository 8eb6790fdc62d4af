package tongbao.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud for tongbao's cluster tests: N Jetty nodes and an embedded ZooKeeper on
 * ephemeral loopback ports, nothing else. Configsets and collections are deliberately left to
 * the client (tongbao's `cluster init` creates them through Solr's HTTP APIs, as it must
 * against a real deployment), so the tests exercise that path too.
 *
 * <p>Protocol, one JSON object per line on stdout (Solr's log goes to stderr):
 *
 * <pre>
 *   {"ready":true,"zk":"127.0.0.1:PORT/solr","nodes":["http://127.0.0.1:P1/solr",...],...}
 *   stdin "stop I"   -> {"ok":"stop","node":I}     node I (0-based) is down, its port closed
 *   stdin "start I"  -> {"ok":"start","node":I,"url":...,"active":true}
 *                       node I is back on the same port, live, and its replicas have recovered
 *   stdin "status"   -> the ready line again, with each node's state
 *   stdin "quit", end of stdin, or SIGTERM -> cluster shut down, {"stopped":true}, exit 0
 *   a command that fails -> {"error":"..."} and the harness goes on
 *   the cluster fails to start -> {"error":"the cluster did not start: ..."} instead of the ready line, exit 1
 * </pre>
 */
public final class Harness {
  private final MiniSolrCloudCluster cluster;
  private final List<JettySolrRunner> nodes;
  private final Path dir;
  private final boolean ownDir;
  private final long startMillis;
  private final PrintStream out;
  private boolean stopped;

  private Harness(MiniSolrCloudCluster cluster, Path dir, boolean ownDir, long startMillis, PrintStream out) {
    this.cluster = cluster;
    // Our own list: MiniSolrCloudCluster forgets a node it stopped, and restarts it on a new port.
    this.nodes = new ArrayList<>(cluster.getJettySolrRunners());
    this.dir = dir;
    this.ownDir = ownDir;
    this.startMillis = startMillis;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("log4j2.configurationFile", "tongbao-harness-log4j2.xml");
    // Keep stdout for the protocol: anything Solr or Jetty prints goes to stderr.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    int count = 2;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> count = number(value(args, ++i, "--nodes"));
        case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (count < 1 || count > 8) usage("--nodes must be between 1 and 8");
    boolean ownDir = dir == null;
    if (ownDir) dir = Files.createTempDirectory("tongbao-solrcloud-");
    // Solr complains at every start without it; its log goes to stderr all the same.
    System.setProperty("solr.log.dir", dir.toString());

    long t0 = System.nanoTime();
    // Port 0: every Jetty takes an ephemeral port; ZkTestServer does the same for ZooKeeper.
    JettyConfig jetty = JettyConfig.builder().setPort(0).setContext("/solr").stopAtShutdown(true).build();
    MiniSolrCloudCluster cluster;
    try {
      cluster = new MiniSolrCloudCluster(count, dir, jetty);
    } catch (Exception e) {
      // One line a test can show as it is; Solr's log on stderr has the details.
      out.println("{\"error\":" + quote("the cluster did not start: " + e) + "}");
      if (ownDir) deleteTree(dir);
      System.exit(1);
      return;
    }
    Harness h = new Harness(cluster, dir, ownDir, (System.nanoTime() - t0) / 1_000_000, out);
    Runtime.getRuntime().addShutdownHook(new Thread(h::shutdown, "harness-shutdown"));
    h.say(h.status());
    h.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    h.shutdown();
    System.exit(0);
  }

  private void serve(BufferedReader in) throws IOException {
    for (String line; (line = in.readLine()) != null; ) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "" -> {}
          case "quit" -> { return; }
          case "status" -> say(status());
          case "stop" -> {
            int i = node(words);
            JettySolrRunner n = nodes.get(i);
            if (n.isRunning()) n.stop();
            cluster.waitForJettyToStop(n);
            say("{\"ok\":\"stop\",\"node\":" + i + "}");
          }
          case "start" -> {
            int i = node(words);
            JettySolrRunner n = nodes.get(i);
            // Same port, so the replicas recorded in ZooKeeper for this node come back.
            if (!n.isRunning()) n.start(true);
            cluster.waitForNode(n, 60);
            // Acknowledge once the node's replicas have recovered, so that a test which
            // stops the other node next still finds a live copy of every shard.
            boolean active = waitForReplicas(n.getNodeName(), 60_000);
            say("{\"ok\":\"start\",\"node\":" + i + ",\"url\":" + quote(url(n)) + ",\"active\":" + active + "}");
          }
          default -> throw new IllegalArgumentException("unknown command: " + words[0] + " (stop I, start I, status, quit)");
        }
      } catch (Exception e) {
        say("{\"error\":" + quote(line.trim() + ": " + e) + "}");
      }
    }
  }

  /** Wait until every replica on the node is active; false if some still are not after the timeout. */
  private boolean waitForReplicas(String nodeName, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      var state = cluster.getZkStateReader().getClusterState();
      var live = state.getLiveNodes();
      boolean all = state.getCollectionsMap().values().stream()
          .flatMap(c -> c.getReplicasOnNode(nodeName).stream())
          .allMatch(r -> r.isActive(live));
      if (all) return true;
      if (System.currentTimeMillis() > deadline) return false;
      Thread.sleep(100);
    }
  }

  private int node(String[] words) {
    if (words.length != 2) throw new IllegalArgumentException("expected a node number");
    int i = Integer.parseInt(words[1]);
    if (i < 0 || i >= nodes.size()) throw new IllegalArgumentException("no node " + i + "; nodes are 0.." + (nodes.size() - 1));
    return i;
  }

  private String status() {
    StringBuilder s = new StringBuilder("{\"ready\":true");
    s.append(",\"zk\":").append(quote(cluster.getZkServer().getZkAddress()));
    s.append(",\"nodes\":[");
    for (int i = 0; i < nodes.size(); i++) s.append(i > 0 ? "," : "").append(quote(url(nodes.get(i))));
    s.append("],\"running\":[");
    for (int i = 0; i < nodes.size(); i++) s.append(i > 0 ? "," : "").append(nodes.get(i).isRunning());
    s.append("],\"dir\":").append(quote(dir.toString()));
    s.append(",\"solr\":").append(quote(org.apache.solr.client.api.util.SolrVersion.LATEST.toString()));
    s.append(",\"start_ms\":").append(startMillis).append("}");
    return s.toString();
  }

  /** A node's base URL; a stopped node keeps the port it will come back on. */
  private static String url(JettySolrRunner n) {
    return "http://127.0.0.1:" + n.getLocalPort(true) + "/solr";
  }

  private synchronized void shutdown() {
    if (stopped) return;
    stopped = true;
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("harness: shutting the cluster down: " + e);
    }
    if (ownDir) deleteTree(dir);
    say("{\"stopped\":true}");
  }

  private synchronized void say(String json) {
    out.println(json);
    out.flush();
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("harness: could not remove " + root + ": " + e);
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) usage(flag + " needs a value");
    return args[i];
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      usage("--nodes needs a number, not " + s);
      return 0;
    }
  }

  private static void usage(String why) {
    System.err.println("harness: " + why);
    System.err.println("usage: java -jar harness.jar [--nodes N] [--dir DIR]");
    System.exit(2);
  }
}
