package dev.lifeguard.impl;

import dev.lifeguard.Description;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * An MXBean whose MBeanInfo carries the {@link Description}s of its interface, so JConsole and VisualVM show what
 * each attribute and operation means and the real parameter names instead of "p0".
 */
final class DescribedMXBean<T> extends StandardMBean {
    private final Class<T> type;

    DescribedMXBean(T implementation, Class<T> type) {
        super(implementation, type, true);
        this.type = type;
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return Optional.ofNullable(type.getAnnotation(Description.class)).map(Description::value)
                .orElse("Lifeguard connection pool");
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        for (String prefix : new String[] {"get", "is"}) {
            Optional<String> d = describe(prefix + info.getName(), 0);
            if (d.isPresent()) {
                return d.get();
            }
        }
        return super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return describe(info.getName(), info.getSignature().length).orElse(super.getDescription(info));
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return parameter(op, sequence).map(Description::name).filter(n -> !n.isEmpty())
                .orElse(super.getParameterName(op, param, sequence));
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return parameter(op, sequence).map(Description::value)
                .orElse(super.getDescription(op, param, sequence));
    }

    private Optional<String> describe(String methodName, int arity) {
        return method(methodName, arity).map(m -> m.getAnnotation(Description.class)).map(Description::value);
    }

    private Optional<Description> parameter(MBeanOperationInfo op, int sequence) {
        return method(op.getName(), op.getSignature().length)
                .map(m -> m.getParameters()[sequence].getAnnotation(Description.class));
    }

    private Optional<Method> method(String name, int arity) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == arity)
                .findFirst();
    }
}
