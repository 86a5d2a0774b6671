package org.tandem.config.dahdi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tandem.config.DahdiConfig;
import org.tandem.config.GatewayConfig;
import org.tandem.config.SpanConfig;

/**
 * Compares the kernel's span and channel settings with what the INI says, at start-up with the
 * dahdi backend. Pure: the DAHDI layer queries SPANSTAT and GET_PARAMS and passes what it saw.
 * Each difference is one line saying what the INI expects, what the kernel has, and the fix.
 */
public final class KernelSettingsCheck {
    private KernelSettingsCheck() {
    }

    /** The channels to query and what each should look like: B-channels CLEAR, the D-channel HDLC. */
    public static List<ExpectedChannel> expectedChannels(GatewayConfig config) {
        int dsig = config.dahdi().dchannelMode() == DahdiConfig.DchannelMode.HARDHDLC
                ? DahdiConstants.SIG_HARDHDLC : DahdiConstants.SIG_HDLCFCS;
        List<ExpectedChannel> out = new ArrayList<>();
        for (SpanConfig s : config.spans()) {
            for (int ts = 1; ts <= s.timeslots(); ts++) {
                if (s.bchannels().contains(ts)) {
                    out.add(new ExpectedChannel(s.globalChannel(ts), s.number(), ts, DahdiConstants.SIG_CLEAR, false));
                } else if (ts == s.dchannel()) {
                    out.add(new ExpectedChannel(s.globalChannel(ts), s.number(), ts, dsig, true));
                }
            }
        }
        return out;
    }

    /** The DAHDI_CONFIG_* line-format bits the span line of system.conf sets. */
    public static int expectedLineconfig(SpanConfig s) {
        int bits = switch (s.framing()) {
            case CCS -> DahdiConstants.CONFIG_CCS;
            case CAS -> 0;
            case D4 -> DahdiConstants.CONFIG_D4;
            case ESF -> DahdiConstants.CONFIG_ESF;
        };
        bits |= switch (s.coding()) {
            case HDB3 -> DahdiConstants.CONFIG_HDB3;
            case AMI -> DahdiConstants.CONFIG_AMI;
            case B8ZS -> DahdiConstants.CONFIG_B8ZS;
        };
        if (s.crc4() && s.type() == SpanConfig.Type.E1) {
            bits |= DahdiConstants.CONFIG_CRC4;
        }
        return bits;
    }

    /** Human-readable differences; empty when the kernel agrees with the INI. */
    public static List<String> compare(GatewayConfig config, List<ObservedSpan> spans,
            List<ObservedChannel> channels) {
        List<String> diffs = new ArrayList<>();
        String fix = " (run 'tandem dahdi-conf > /etc/dahdi/system.conf' and 'dahdi_cfg', or correct "
                + config.source() + ")";
        Map<Integer, ObservedSpan> bySpan = spans.stream()
                .collect(Collectors.toMap(ObservedSpan::spanno, Function.identity(), (a, b) -> a));
        for (SpanConfig s : config.spans()) {
            ObservedSpan o = bySpan.get(s.number());
            if (o == null) {
                diffs.add("span " + s.number() + ": configured as " + s.type().token()
                        + " in the INI but the kernel has no such span (check the card and its driver)");
                continue;
            }
            String type = s.type().token().toUpperCase(java.util.Locale.ROOT);
            if (o.spantype() != null && !o.spantype().isBlank() && !o.spantype().equalsIgnoreCase(type)) {
                diffs.add("span " + s.number() + ": INI says " + type + ", kernel span type is " + o.spantype()
                        + " (set the card's E1/T1 mode, e.g. the driver's default_linemode)");
            }
            int want = expectedLineconfig(s);
            int have = o.lineconfig() & DahdiConstants.CONFIG_FORMAT_MASK;
            if (want != have) {
                diffs.add("span " + s.number() + ": INI says line config " + DahdiConstants.lineconfigName(want)
                        + ", kernel has " + DahdiConstants.lineconfigName(have) + fix);
            }
            if (o.totalchans() > 0 && o.totalchans() < s.timeslots()) {
                diffs.add("span " + s.number() + ": INI expects " + s.timeslots() + " channels, kernel span has "
                        + o.totalchans());
            }
        }
        Map<Integer, ObservedChannel> byChan = channels.stream()
                .collect(Collectors.toMap(ObservedChannel::channo, Function.identity(), (a, b) -> a));
        for (ExpectedChannel e : expectedChannels(config)) {
            ObservedChannel o = byChan.get(e.channo());
            String what = "channel " + e.channo() + " (span " + e.spanno() + " timeslot " + e.chanpos()
                    + (e.dchannel() ? ", D-channel" : "") + ")";
            if (o == null || !o.present()) {
                diffs.add(what + ": does not exist in the kernel" + fix);
                continue;
            }
            if (o.spanno() != e.spanno() || o.chanpos() != e.chanpos()) {
                diffs.add(what + ": kernel has it as span " + o.spanno() + " timeslot " + o.chanpos()
                        + " (span order or channel numbering differs from the INI)");
            }
            if (o.sigtype() != e.sigtype()) {
                diffs.add(what + ": INI expects " + DahdiConstants.sigName(e.sigtype()) + ", kernel has "
                        + DahdiConstants.sigName(o.sigtype()) + fix);
            }
        }
        return diffs;
    }
}
