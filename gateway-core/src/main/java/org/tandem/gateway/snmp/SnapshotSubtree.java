package org.tandem.gateway.snmp;

import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.snmp4j.agent.DefaultMOScope;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.GenericManagedObject;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A read-only SNMP4J managed object that answers GET/GETNEXT/GETBULK for a whole subtree from a
 * {@link MibSection} rendering. The rendering is rebuilt for each sub-request, from the latest
 * snapshot: cheap (a few thousand values for the largest gateway) and always current. SET is
 * refused with notWritable.
 */
final class SnapshotSubtree implements GenericManagedObject {
    private final MibSection section;
    private final Supplier<MibContext> context;
    private final DefaultMOScope scope;

    SnapshotSubtree(MibSection section, Supplier<MibContext> context) {
        this.section = section;
        this.context = context;
        OID root = section.root();
        this.scope = new DefaultMOScope(root, true, root.nextPeer(), false);
    }

    private NavigableMap<OID, Variable> render() {
        MibTree tree = new MibTree();
        section.render(context.get(), tree);
        return tree.values();
    }

    @Override
    public MOScope getScope() {
        return scope;
    }

    @Override
    public OID find(MOScope range) {
        for (OID oid : candidates(render(), range)) {
            return oid;
        }
        return null;
    }

    @Override
    public OID find(org.snmp4j.agent.MOQuery query, Function<OID, Boolean> filter) {
        for (OID oid : candidates(render(), query.getScope())) {
            if (filter.apply(oid)) {
                return oid;
            }
        }
        return null;
    }

    /** Instances inside both this subtree and {@code range}, in order. */
    private Iterable<OID> candidates(NavigableMap<OID, Variable> values, MOScope range) {
        OID lower = range.getLowerBound();
        NavigableMap<OID, Variable> tail = lower == null ? values
                : values.tailMap(lower, range.isLowerIncluded());
        return () -> tail.keySet().stream().takeWhile(range::covers).iterator();
    }

    @Override
    public void get(SubRequest<?> request) {
        VariableBinding vb = request.getVariableBinding();
        Variable v = render().get(vb.getOid());
        vb.setVariable(v != null ? (Variable) v.clone() : Null.noSuchInstance);
        request.completed();
    }

    @Override
    public boolean next(SubRequest<?> request) {
        return next(request, oid -> true);
    }

    @Override
    public boolean next(SubRequest<?> request, Function<OID, Boolean> filter) {
        NavigableMap<OID, Variable> values = render();
        for (OID oid : candidates(values, request.getScope())) {
            if (filter.apply(oid)) {
                VariableBinding vb = request.getVariableBinding();
                vb.setOid(oid);
                vb.setVariable((Variable) values.get(oid).clone());
                request.completed();
                return true;
            }
        }
        return false;
    }

    @Override
    public void prepare(SubRequest<?> request) {
        request.getStatus().setErrorStatus(SnmpConstants.SNMP_ERROR_NOT_WRITEABLE);
    }

    @Override
    public void commit(SubRequest<?> request) {
        request.getStatus().setErrorStatus(SnmpConstants.SNMP_ERROR_NOT_WRITEABLE);
    }

    @Override
    public void undo(SubRequest<?> request) {
        request.completed();
    }

    @Override
    public void cleanup(SubRequest<?> request) {
        request.completed();
    }

    @Override
    public String toString() {
        return "SnapshotSubtree[" + section.root() + "]";
    }

    /** For tests: the rendered values. */
    Map<OID, Variable> values() {
        return render();
    }
}
