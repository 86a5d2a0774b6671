package org.tandem.bench.load;

/** What sipp calls: the gateway, the bare JAIN-SIP UAS or sipp's own UAS. */
interface Target extends AutoCloseable {
    String name();

    /** SIP port on 127.0.0.1 (UDP). */
    int sipPort();

    /** CPU time the target has used so far, in ns: this JVM's, for the in-process targets; another process overrides it. */
    default long cpuNanos() {
        return Jvm.processCpuNanos();
    }

    /** Heap in use after a full collection, in bytes (this JVM's), or -1 when the target is another process. */
    default long heapAfterGc() {
        return Jvm.heapAfterGc();
    }

    /** SIP transactions the stack holds now (server + client), or -1 when not known. */
    default long transactions() {
        return -1;
    }

    @Override
    void close() throws Exception;
}
