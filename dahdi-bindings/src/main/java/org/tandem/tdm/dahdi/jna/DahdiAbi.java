package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the Java side assumes about {@code dahdi/user.h}, as (name, C expression, Java value)
 * entries: every ioctl number, every {@link Dahdi} constant, every struct's size, and every
 * field's offset and size. The ABI test compiles a C program that prints each C expression and
 * compares it with the Java value.
 */
public final class DahdiAbi {
    /** One checked fact. {@code cExpression} evaluates to an integer in C. */
    public record Entry(String name, String cExpression, long javaValue) {
    }

    /** Java structure -> C struct name. */
    private static final Map<Class<? extends Structure>, String> STRUCTS = new LinkedHashMap<>();

    static {
        STRUCTS.put(DahdiParams.class, "dahdi_params");
        STRUCTS.put(DahdiSpanInfo.class, "dahdi_spaninfo");
        STRUCTS.put(DahdiBufferInfo.class, "dahdi_bufferinfo");
        STRUCTS.put(DahdiEchoCanParam.class, "dahdi_echocanparam");
        STRUCTS.put(DahdiEchoCanParams.class, "dahdi_echocanparams");
        STRUCTS.put(DahdiLineConfig.class, "dahdi_lineconfig");
        STRUCTS.put(DahdiChanConfig.class, "dahdi_chanconfig");
    }

    private DahdiAbi() {
    }

    public static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (DahdiIoctl io : DahdiIoctl.values()) {
            out.add(new Entry(io.cName(), "(unsigned long)(" + io.cName() + ")", io.request()));
        }
        for (Field f : Dahdi.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    out.add(new Entry(f.getName(), f.getName(), f.getInt(null)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (Map.Entry<Class<? extends Structure>, String> s : STRUCTS.entrySet()) {
            addStruct(out, s.getKey(), s.getValue());
        }
        out.add(new Entry("echocanparams buffer size",
            "sizeof(struct dahdi_echocanparams) + DAHDI_MAX_ECHOCANPARAMS * sizeof(struct dahdi_echocanparam)",
            DahdiEchoCanParams.SIZE));
        return out;
    }

    private static void addStruct(List<Entry> out, Class<? extends Structure> type, String cName) {
        Structure instance;
        try {
            instance = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type, e);
        }
        boolean flexible = type == DahdiEchoCanParams.class;
        long size = flexible ? DahdiEchoCanParams.HEADER_SIZE : instance.size();
        out.add(new Entry("sizeof(struct " + cName + ")", "sizeof(struct " + cName + ")", size));
        List<String> fields = fieldOrder(type);
        for (String field : fields) {
            long offset = offsetOf(type, field);
            out.add(new Entry("offsetof(" + cName + ", " + field + ")",
                "offsetof(struct " + cName + ", " + field + ")", offset));
            if (flexible && field.equals("params")) {
                continue; // flexible array member: no size in C
            }
            out.add(new Entry("sizeof(" + cName + "." + field + ")",
                "sizeof(((struct " + cName + " *)0)->" + field + ")", fieldSize(instance, field)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> fieldOrder(Class<? extends Structure> type) {
        try {
            return (List<String>) type.getField("FIELDS").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " lacks public static FIELDS", e);
        }
    }

    private static long offsetOf(Class<? extends Structure> type, String field) {
        try {
            return (int) type.getMethod("offsetOf", String.class).invoke(null, field);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + ".offsetOf(" + field + ")", e);
        }
    }

    private static long fieldSize(Structure instance, String field) {
        try {
            Field f = instance.getClass().getField(field);
            if (f.getType() == int.class) {
                return 4;
            }
            if (f.getType() == byte[].class) {
                return ((byte[]) f.get(instance)).length;
            }
            throw new IllegalStateException("unexpected field type " + f.getType() + " of " + field);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
