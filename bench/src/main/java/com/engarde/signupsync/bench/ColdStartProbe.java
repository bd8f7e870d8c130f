package com.engarde.signupsync.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.engarde.signupsync.snapstart.SnapshotPriming;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM with only one function's jar (and this class) on its classpath: builds the manifest's
 * handler as the Lambda runtime does, optionally runs the SnapStart hooks (beforeCheckpoint, then afterRestore,
 * the closest local stand-in for a restore), and answers one API Gateway event.
 * Prints {@code COLD-START <ms from JVM start to the answer> <ms of the first request alone> <status> <classes the
 * request loaded>}.
 *
 * <p>Arguments: handler class, event file, {@code primed} or {@code unprimed}.
 */
public final class ColdStartProbe {

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        if ("primed".equals(args[2])) {
            ApplicationContext context = (ApplicationContext) handler.getClass().getMethod("getApplicationContext").invoke(handler);
            SnapshotPriming priming = context.getBean(SnapshotPriming.class);
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        }
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long loadedBefore = classes.getTotalLoadedClassCount();
        // With -Xlog:class+load on stdout, what the first request loads is what follows this line.
        System.out.println("COLD-START-REQUEST");
        long requestStart = System.nanoTime();
        int status = answer(handler, event);
        long requestMillis = (System.nanoTime() - requestStart) / 1_000_000;
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long loaded = classes.getTotalLoadedClassCount() - loadedBefore;
        System.out.println("COLD-START " + millis + " " + requestMillis + " " + status + " " + loaded);
        System.exit(0);
    }

    /** As the runtime hands the event over: raw bytes to a stream handler, a POJO to a typed one. */
    @SuppressWarnings("unchecked")
    private static int answer(Object handler, byte[] event) throws Exception {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, null);
            return json.readTree(out.toByteArray()).path("statusCode").asInt();
        }
        var typed = (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler;
        return typed.handleRequest(json.readValue(event, APIGatewayProxyRequestEvent.class), null).getStatusCode();
    }
}
