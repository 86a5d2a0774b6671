package org.tandem.bench.load;

import java.io.IOException;
import java.nio.file.Path;

/** {@code sipp -sn uas}: sipp's built-in UAS (180, 200, waits for ACK and BYE), the other baseline. */
final class SippUas implements Target {
    private final Process process;
    private final int port;

    SippUas(String sipp, Path work) throws IOException, InterruptedException {
        port = FreeUdp.port();
        process = new ProcessBuilder(sipp, "-sn", "uas", "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-nostdin").directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("sipp-uas.out").toFile()).start();
        Thread.sleep(300);
        if (!process.isAlive()) {
            throw new IOException("sipp -sn uas exited with " + process.exitValue() + ": see "
                    + work.resolve("sipp-uas.out"));
        }
    }

    @Override
    public String name() {
        return "sipp -sn uas";
    }

    @Override
    public int sipPort() {
        return port;
    }

    @Override
    public long cpuNanos() {
        return Jvm.processCpuNanos(process.pid());
    }

    @Override
    public long heapAfterGc() {
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
