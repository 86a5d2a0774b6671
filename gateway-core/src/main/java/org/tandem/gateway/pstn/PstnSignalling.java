package org.tandem.gateway.pstn;

import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.SpanConfig;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriNode;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.PriTimer;
import org.tandem.pri.SwitchType;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;

/**
 * The PRI signalling adapter: puts the gateway's spans on the {@link PriEngine} and carries every
 * {@link PriEvent} from the engine thread to call control's queue. It does nothing else on the
 * engine thread (the engine thread must never block or wait for call control).
 */
public final class PstnSignalling {
    private static final Logger LOG = LoggerFactory.getLogger(PstnSignalling.class);

    /** Where events go: call control's handler, run on call control's executor. */
    @FunctionalInterface
    public interface Sink {
        void onPriEvent(int spanNumber, PriSpan span, PriEvent event);
    }

    private final PriEngine engine;
    private final Executor callControl;
    private final Sink sink;

    public PstnSignalling(PriEngine engine, Executor callControl, Sink sink) {
        this.engine = engine;
        this.callControl = callControl;
        this.sink = sink;
    }

    /**
     * Starts libpri on one span of the gateway.
     *
     * @param timers libpri timer overrides (ms; N200 a count), e.g. short T203/T309 in tests
     */
    public PriSpan addSpan(SpanConfig span, TdmSpan tdm, Map<PriTimer, Integer> timers) {
        PriSpanConfig config = priConfig(span, timers);
        int number = span.number();
        PriSpan pri = engine.addSpan(config, tdm, (s, event) -> callControl.execute(() -> sink.onPriEvent(number, s, event)));
        LOG.info("span {}: {} {} {} B-channels {}, {}", number, span.type().token(), span.signalling().token(),
                span.switchType().token(), span.bchannels(), span.law().token());
        return pri;
    }

    /**
     * libpri settings of a configured span: CPE or NET, switch type, B-channels, law, overlap on,
     * supplementary services as configured.
     */
    public static PriSpanConfig priConfig(SpanConfig span, Map<PriTimer, Integer> timers) {
        PriNode node = span.signalling() == SpanConfig.Signalling.PRI_NET ? PriNode.NETWORK : PriNode.CPE;
        PriSpanConfig c = new PriSpanConfig("span" + span.number(), node, switchType(span),
                span.bchannels().stream().toArray(), law(span), timers,
                // Carrier switches expect the CPE to RESTART its B-channels when the link comes up.
                node == PriNode.CPE, true, 0);
        return c.withSupplementaryServices(span.supplementaryServices()).withHold(span.hold());
    }

    public static TdmLaw law(SpanConfig span) {
        return span.law() == SpanConfig.Law.ULAW ? TdmLaw.MULAW : TdmLaw.ALAW;
    }

    static SwitchType switchType(SpanConfig span) {
        return switch (span.switchType()) {
            case EUROISDN -> span.type() == SpanConfig.Type.T1 ? SwitchType.EUROISDN_T1 : SwitchType.EUROISDN_E1;
            case NI2 -> SwitchType.NI2;
            case DMS100 -> SwitchType.DMS100;
            case ATT4ESS -> SwitchType.ATT4ESS;
            case LUCENT5E -> SwitchType.LUCENT5E;
            case QSIG -> SwitchType.QSIG;
        };
    }
}
