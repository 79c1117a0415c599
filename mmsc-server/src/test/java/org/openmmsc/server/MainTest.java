package org.openmmsc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and what a user reads. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("help"));
        assertTrue(out.toString().contains("mmsc run [CONFIG.yaml]"), out.toString());
        assertTrue(out.toString().contains("mmsc pdu decode FILE"), out.toString());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().startsWith("mmsc: unknown command 'frobnicate'"), err.toString());
    }

    @Test
    void configCheckAcceptsAGoodFileAndNamesTheKeyOfABadOne(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), "admin: {port: 9000}\n");
        assertEquals(0, run("config", "check", good.toString()));
        assertEquals(good + ": OK\n", out.toString());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "store: {sink: true}\n");
        assertEquals(1, run("config", "check", bad.toString()));
        assertTrue(err.toString().startsWith("mmsc: configuration error: " + bad + ": store.sink: unknown key"), err.toString());
    }

    @Test
    void runRefusesABadConfigurationBeforeOpeningAnything(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "store: {directory: " + dir.resolve("data") + "}\nadmin: {port: -1}\n");
        assertEquals(1, run("run", bad.toString()));
        assertTrue(err.toString().contains("admin.port: must be between 0 and 65535, got -1"), err.toString());
        assertTrue(Files.notExists(dir.resolve("data")), "nothing may be created for a refused configuration");
    }

    @Test
    void pduDecodeIsWired(@TempDir Path dir) throws Exception {
        // m-notifyresp-ind: Message-Type 0x83, Transaction-Id "T1", MMS-Version 1.2, Status Retrieved.
        byte[] pdu = {(byte) 0x8C, (byte) 0x83, (byte) 0x98, 'T', '1', 0, (byte) 0x8D, (byte) 0x92, (byte) 0x95, (byte) 0x81};
        Path file = Files.write(dir.resolve("notifyresp.mms"), pdu);
        assertEquals(0, run("pdu", "decode", file.toString()), err.toString());
        assertTrue(out.toString().contains("T1"), out.toString());
    }
}
