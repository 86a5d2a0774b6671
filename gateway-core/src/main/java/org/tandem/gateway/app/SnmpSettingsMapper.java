package org.tandem.gateway.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tandem.config.SnmpConfig;
import org.tandem.gateway.snmp.SnmpAgentSettings;

/** {@code [snmp]}, {@code [snmp-user NAME]} and {@code [snmp-trap NAME]} as the SNMP agent's settings. */
final class SnmpSettingsMapper {
    private SnmpSettingsMapper() {
    }

    /**
     * @param name the gateway's name (sysName)
     * @param engineBootsFile where the SNMPv3 engine boots counter is kept
     */
    static SnmpAgentSettings map(SnmpConfig s, String name, Path engineBootsFile) {
        List<SnmpAgentSettings.User> users = new ArrayList<>();
        for (SnmpConfig.User u : s.users()) {
            users.add(new SnmpAgentSettings.User(u.name(), u.auth() == SnmpConfig.Auth.SHA
                    ? SnmpAgentSettings.Auth.SHA : SnmpAgentSettings.Auth.SHA256, u.authKey().value(),
                    u.privKey().value()));
        }
        List<SnmpAgentSettings.TrapTarget> traps = new ArrayList<>();
        for (SnmpConfig.TrapTarget t : s.traps()) {
            boolean v3 = t.version() == SnmpConfig.Version.V3;
            String community = v3 ? null : t.community() != null ? t.community().value()
                    : s.community() == null ? null : s.community().value();
            traps.add(new SnmpAgentSettings.TrapTarget(t.target().host(), t.target().port(), community,
                    v3 ? t.user() : null));
        }
        return new SnmpAgentSettings(s.listen().host(), s.listen().port(),
                s.community() == null ? null : s.community().value(), users, traps, name, s.contact(), s.location(),
                engineBootsFile);
    }
}
