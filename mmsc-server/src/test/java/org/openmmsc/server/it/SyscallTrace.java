package org.openmmsc.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code strace -f -ttt -T -yy} log into completed system calls with their start and end
 * times, the path or socket behind their first file descriptor, and their printed arguments.
 */
final class SyscallTrace {

    record Call(int pid, String name, double start, double end, String fd, String args) {
        boolean onSocket() {
            return fd.startsWith("TCP");
        }
    }

    // 1234 1700000000.123456 write(87</data/000004.log>, "...", 12) = 12 <0.000010>
    private static final Pattern WHOLE = Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+) (\\w+)\\((.*)\\) += (-?\\d+).*<(\\d+\\.\\d+)>$");
    private static final Pattern UNFINISHED = Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+) (\\w+)\\((.*) <unfinished \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+) <\\.\\.\\. (\\w+) resumed>(.*)\\) += (-?\\d+).*<(\\d+\\.\\d+)>$");
    private static final Pattern FIRST_FD = Pattern.compile("^\\d+<([^>]*)>");

    private SyscallTrace() {}

    static List<Call> read(Path file) throws IOException {
        List<Call> calls = new ArrayList<>();
        Map<Integer, String[]> pending = new HashMap<>(); // pid -> {name, start, args}
        for (String line : (Iterable<String>) Files.lines(file)::iterator) {
            Matcher m;
            if ((m = WHOLE.matcher(line)).matches()) {
                if (Long.parseLong(m.group(5)) < 0) continue;
                double start = Double.parseDouble(m.group(2));
                calls.add(call(Integer.parseInt(m.group(1)), m.group(3), start, start + Double.parseDouble(m.group(6)), m.group(4)));
            } else if ((m = UNFINISHED.matcher(line)).matches()) {
                pending.put(Integer.parseInt(m.group(1)), new String[] {m.group(3), m.group(2), m.group(4)});
            } else if ((m = RESUMED.matcher(line)).matches()) {
                String[] open = pending.remove(Integer.parseInt(m.group(1)));
                if (open == null || !open[0].equals(m.group(3)) || Long.parseLong(m.group(5)) < 0) continue;
                calls.add(call(Integer.parseInt(m.group(1)), open[0], Double.parseDouble(open[1]), Double.parseDouble(m.group(2)), open[2] + m.group(4)));
            }
        }
        return calls;
    }

    private static Call call(int pid, String name, double start, double end, String args) {
        Matcher fd = FIRST_FD.matcher(args);
        return new Call(pid, name, start, end, fd.find() ? fd.group(1) : "", args);
    }
}
