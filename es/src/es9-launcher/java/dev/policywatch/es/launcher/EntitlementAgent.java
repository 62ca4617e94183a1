package dev.policywatch.es.launcher;

import java.lang.instrument.Instrumentation;

/**
 * The Java agent that Elasticsearch 9 attaches to itself at start-up (lib/entitlement-agent/*.jar) to instrument
 * the JDK for its entitlement checks. Elastic ships it only inside the distribution zips; what it does is this one
 * call: the server passes the name of its initialization class as the agent argument.
 */
public final class EntitlementAgent {
    private EntitlementAgent() {}

    public static void agentmain(String initializationClass, Instrumentation inst) throws ReflectiveOperationException {
        Class.forName(initializationClass).getMethod("initialize", Instrumentation.class).invoke(null, inst);
    }
}
