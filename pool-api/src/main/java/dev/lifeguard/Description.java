package dev.lifeguard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text JConsole and VisualVM show for an MXBean attribute, operation or operation parameter (carried into the
 * MBeanInfo). On a parameter, {@link #name()} gives the parameter name shown instead of {@code p0}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER})
public @interface Description {

    /** @return what the attribute, operation or parameter means, with its unit */
    String value();

    /** @return the parameter's name (parameters only) */
    String name() default "";
}
