package dev.policywatch.es.launcher;

import org.elasticsearch.bootstrap.ServerArgs;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.KeyStoreWrapper;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts an Elasticsearch 9 server in this JVM, in place of Elastic's launcher (bin/elasticsearch, cli-launcher,
 * server-cli), which is published to Maven Central only inside the distribution zips, and those stop at 8.19.
 *
 * Elastic's server-cli reads config/elasticsearch.yml, then starts the server JVM and writes the resulting
 * {@link ServerArgs} to its standard input; the server then watches that stream and exits when it closes (its
 * parent died). Here the same ServerArgs are put in front of a stream that never ends, and the server's main runs
 * in this JVM (the same process, so no second JVM), which scripts/es-start started with the JVM options server-cli would have computed.
 *
 *   java ... -Des.path.home=HOME -cp policywatch-launcher.jar dev.policywatch.es.launcher.ServerLauncher CONF PIDFILE
 */
public final class ServerLauncher {
    private ServerLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ServerLauncher CONFIG_DIR PID_FILE");
            System.exit(2);
        }
        Path configDir = Path.of(args[0]).toAbsolutePath();
        Path pidFile = Path.of(args[1]).toAbsolutePath();
        LogConfigurator.configureESLogging(); // reading elasticsearch.yml logs through it; the server configures log4j itself
        Settings home = Settings.builder().put(Environment.PATH_HOME_SETTING.getKey(), System.getProperty("es.path.home")).build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(home, Map.of(), configDir, () -> "policywatch");
        // quiet: the node logs to its log files only (es-start keeps stdout/stderr for startup errors)
        ServerArgs serverArgs = new ServerArgs(false, true, pidFile, KeyStoreWrapper.create(), env.settings(), configDir, env.logsDir());
        BytesStreamOutput out = new BytesStreamOutput();
        serverArgs.writeTo(out);
        System.setIn(new SequenceInputStream(out.bytes().streamInput(), new NeverEnding()));
        // org.elasticsearch.bootstrap.Elasticsearch is package-private: es-start opens the package to us
        // (--add-opens=org.elasticsearch.server/org.elasticsearch.bootstrap=ALL-UNNAMED)
        Method main = Class.forName("org.elasticsearch.bootstrap.Elasticsearch").getDeclaredMethod("main", String[].class);
        main.setAccessible(true);
        main.invoke(null, (Object) new String[0]);
    }

    /** Blocks forever: the server's watch on its parent never fires; SIGTERM stops the node. */
    private static final class NeverEnding extends InputStream {
        private final CountDownLatch never = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            return -1;
        }
    }
}
