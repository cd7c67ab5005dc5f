package io.runtimepolicy.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a static String field that receives the test API server's kubeconfig (admin user). */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface KubeConfigYaml {}
