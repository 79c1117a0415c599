package org.openmmsc.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.openmmsc.mm1.cli.PduCommand;
import org.openmmsc.server.config.ConfigLoader;
import org.openmmsc.server.config.MmscConfig;

/** The {@code mmsc} command: runs the MMSC, checks a configuration file, and operator tools. */
public final class Main {
    private static final String USAGE = """
            usage: mmsc run [CONFIG.yaml]       start the MMSC (embedded lab defaults without a file)
                   mmsc config check CONFIG.yaml  validate a configuration file and exit
                   mmsc pdu decode FILE [--push]  print an MMS PDU (or a WAP push) as JSON
                   mmsc pdu encode FILE.json OUT  write the binary PDU a JSON form describes
                   mmsc help                      this text
            """;

    private Main() {}

    public static void main(String[] args) {
        int status = run(Arrays.asList(args), System.out, System.err);
        if (status >= 0) {
            flushLogs();
            System.exit(status);
        }
    }

    /**
     * Logging goes through an asynchronous appender (logback.xml): stopping the logging context
     * writes out what it still holds. Only where the process ends — tests call {@link #run} and keep
     * logging afterwards.
     */
    static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) context.stop();
    }

    /** Runs a command; answers the exit status, or -1 when the MMSC was started and keeps running. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        String command = args.isEmpty() ? "run" : args.getFirst();
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (command) {
            case "run" -> runServer(rest, err);
            case "config" -> checkConfig(rest, out, err);
            case "pdu" -> PduCommand.run(rest, out, err);
            case "help", "-h", "--help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                err.println("mmsc: unknown command '" + command + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    private static int checkConfig(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() != 2 || !args.getFirst().equals("check")) {
            err.print(USAGE);
            return 2;
        }
        try {
            new ConfigLoader().load(Path.of(args.get(1)));
            out.println(args.get(1) + ": OK");
            return 0;
        } catch (ConfigLoader.InvalidConfigException e) {
            err.println("mmsc: configuration error: " + e.getMessage());
            return 1;
        }
    }

    private static int runServer(List<String> args, PrintStream err) {
        if (args.size() > 1) {
            err.print(USAGE);
            return 2;
        }
        MmscConfig config;
        try {
            config = new ConfigLoader().load(args.isEmpty() ? null : Path.of(args.getFirst()));
        } catch (ConfigLoader.InvalidConfigException e) {
            err.println("mmsc: configuration error: " + e.getMessage());
            return 1;
        }
        MmscServer server;
        try {
            server = MmscServer.start(config, args.isEmpty() ? null : Path.of(args.getFirst()));
        } catch (Exception e) {
            err.println("mmsc: could not start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(Main.class).error("start-up failed", e);
            return 1;
        }
        // SIGTERM and SIGINT run shutdown hooks: stop gracefully.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            server.close();
            // After the "stopped" line: the asynchronous appender writes out everything before the JVM ends.
            flushLogs();
        }));
        return -1;
    }
}
