package org.openmmsc.mm1.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ../shared/corpus/mm1/INDEX.md: for every file, its "PDU type", "AOSP" and "tshark" lines.
 * The corpus lives outside the repository; tests skip when it is absent.
 */
final class CorpusIndex {

    record Entry(String file, String pduType, String aosp, String tshark) {
        boolean isGarbage() {
            return pduType != null && pduType.startsWith("NOT a PDU");
        }
    }

    private CorpusIndex() {
    }

    /** The mm1 corpus folder, or null when neither the surefire property nor ../shared leads to it. */
    static Path corpusDirectory() {
        List<Path> candidates = new ArrayList<>();
        String shared = System.getProperty("openmmsc.sharedDir");
        if (shared != null && !shared.isBlank()) {
            candidates.add(Path.of(shared));
        }
        Path cwd = Path.of("").toAbsolutePath();
        // Repo root is the module's parent when run from mm1-wap, else the working directory.
        candidates.add(cwd.resolve("../../shared").normalize());
        candidates.add(cwd.resolve("../shared").normalize());
        for (Path candidate : candidates) {
            Path mm1 = candidate.resolve("corpus/mm1");
            if (Files.isRegularFile(mm1.resolve("INDEX.md"))) {
                return mm1;
            }
        }
        return null;
    }

    static Map<String, Entry> read(Path directory) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String file = null;
        String pduType = null;
        String aosp = null;
        String tshark = null;
        for (String line : Files.readAllLines(directory.resolve("INDEX.md"))) {
            if (line.startsWith("### `")) {
                if (file != null) {
                    entries.put(file, new Entry(file, pduType, aosp, tshark));
                }
                file = line.substring(5, line.indexOf('`', 5));
                pduType = aosp = tshark = null;
            } else if (line.startsWith("- PDU type: ")) {
                pduType = line.substring("- PDU type: ".length());
            } else if (line.startsWith("- AOSP: ")) {
                aosp = line.substring("- AOSP: ".length());
            } else if (line.startsWith("- tshark")) {
                tshark = line.substring(line.indexOf(": ") + 2);
            }
        }
        if (file != null) {
            entries.put(file, new Entry(file, pduType, aosp, tshark));
        }
        return entries;
    }
}
