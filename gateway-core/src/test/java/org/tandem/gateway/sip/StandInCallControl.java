package org.tandem.gateway.sip;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;

/**
 * Test-only call control: one thread, like the real one. Called number 1480 rings forever, 1483
 * sends 180 and 183 with the SDP answer at once, 1484 183 with the answer and 200 at once,
 * 1486 is busy (486 + Reason cause 17), anything else is answered with an SDP answer (or an
 * offer for an INVITE without SDP), 488 when nothing usable was offered. Every event is kept.
 */
final class StandInCallControl implements Consumer<SipEvent>, AutoCloseable {
    final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "call-control"));
    final BlockingQueue<SipEvent> events = new LinkedBlockingQueue<>();
    volatile SipSide sip;
    volatile String wrongThread;
    private final MediaPolicy policy = new MediaPolicy(G711.PCMA, true, true, 101, 20, "127.0.0.1", 20000);

    @Override
    public void accept(SipEvent event) {
        if (!Thread.currentThread().getName().equals("call-control")) {
            wrongThread = Thread.currentThread().getName();
        }
        events.add(event);
        if (event instanceof SipEvent.IncomingCall in) {
            SdpOrigin origin = SdpOrigin.create("127.0.0.1");
            switch (in.calledUser()) {
                case "1480" -> sip.progress(in.call(), 180, null);
                case "1483", "1484" -> {
                    // 1483 rings then has early media, 1484 has early media then answers, at once:
                    // with 100rel what must wait for a PRACK waits
                    if (OfferAnswer.answer(in.offer(), policy, origin) instanceof Negotiation.Agreed a) {
                        if (in.calledUser().equals("1483")) {
                            sip.progress(in.call(), 180, null);
                        }
                        sip.progress(in.call(), 183, a.localSdp());
                        if (in.calledUser().equals("1484")) {
                            sip.answer(in.call(), a.localSdp());
                        }
                    }
                }
                case "1486" -> sip.reject(in.call(), 486, Reason.q850(17));
                default -> {
                    if (in.offer() == null) {
                        sip.answer(in.call(), OfferAnswer.offer(policy, origin, Direction.SENDRECV));
                    } else if (OfferAnswer.answer(in.offer(), policy, origin) instanceof Negotiation.Agreed a) {
                        sip.answer(in.call(), a.localSdp());
                    } else {
                        sip.reject(in.call(), 488, null);
                    }
                }
            }
        } else if (event instanceof SipEvent.Reoffer r
                && OfferAnswer.answer(r.offer(), policy, SdpOrigin.create("127.0.0.1")) instanceof Negotiation.Agreed a) {
            sip.answerReoffer(r.call(), a.localSdp());
        }
    }

    /** The next event of this type within the time limit; other events are skipped. */
    <T extends SipEvent> T next(Class<T> type, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            SipEvent e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeoutMs + " ms");
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
