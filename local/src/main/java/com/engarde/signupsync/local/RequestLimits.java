package com.engarde.signupsync.local;

import com.engarde.signupsync.input.QueryValues;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The local server's HTTP edge, where API Gateway stands in AWS: a request line or headers over Netty's limits
 * answer 414 or 431 in the standard error body (the server alone would say 413, which tells a caller to shorten
 * a body it may not even have); a request target that is not valid percent-encoding, or a chunked body that
 * is not well framed, answers 400; a response is compressed only with an encoding the client named.
 */
@Singleton
class RequestLimits implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerChannel(null));
        return event.getBean();
    }

    private record PerChannel(Channel channel) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION || role == ChannelRole.REQUEST_STREAM ? new PerChannel(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null || channel.pipeline().get(HttpServerCodec.class) == null
                    || channel.pipeline().get(Refusal.class) != null) {
                return;
            }
            channel.pipeline().addAfter(channel.pipeline().context(HttpServerCodec.class).name(), "request-limits",
                    new Refusal());
        }
    }

    /**
     * The first handler after the HTTP codec. After a refusal it reads nothing more from the connection (the
     * server's own handlers would get the rest of a request they never saw). A chunked request is held until
     * its last chunk so that a body that is not well framed is refused as a whole, not handed on cut short.
     */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        /** Beyond this a chunked body is handed on as it comes: the server's own size limit answers it. */
        private static final int HOLD_LIMIT = 1024 * 1024;

        private boolean refused;
        private List<Object> held;
        private long heldBytes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                read(ctx, request);
                return;
            }
            if (held != null && msg instanceof HttpContent content) {
                hold(ctx, content);
                return;
            }
            if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
                // A body too large to hold, broken after the server began on it: its answer cannot be framed.
                refused = true;
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            ctx.fireChannelRead(msg);
        }

        private void read(ChannelHandlerContext ctx, HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
                refuse(ctx, request, status, status.code() == 414
                        ? "{\"error\":\"uri_too_long\",\"message\":\"the request line is longer than the server accepts\"}"
                        : status.code() == 431
                        ? "{\"error\":\"headers_too_large\",\"message\":\"the request headers are larger than the server accepts\"}"
                        : "{\"error\":\"invalid_request\",\"message\":\"the request is not well-formed HTTP/1.1\"}");
                return;
            }
            if (!QueryValues.readable(request.uri())) {
                // The server would take a target it cannot decode for "/": refused here, before any route.
                refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"invalid_request\",\"message\":"
                        + "\"the request target is not valid percent-encoded UTF-8\"}");
                return;
            }
            AcceptedEncoding.restrict(request.headers());
            if (HttpUtil.isTransferEncodingChunked(request) && !(request instanceof LastHttpContent)) {
                if (HttpUtil.is100ContinueExpected(request)) {
                    // The server's own handlers would send 100 Continue on seeing the request; held, it is sent here.
                    request.headers().remove(HttpHeaderNames.EXPECT);
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
                held = new ArrayList<>();
                heldBytes = 0;
                held.add(request);
                return;
            }
            ctx.fireChannelRead(request);
        }

        private void hold(ChannelHandlerContext ctx, HttpContent content) {
            if (content.decoderResult().isFailure()) {
                release();
                if (content.decoderResult().cause() instanceof TooLongHttpHeaderException) {
                    refuse(ctx, content, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "{\"error\":\"headers_too_large\","
                            + "\"message\":\"the request's trailing headers are larger than the server accepts\"}");
                } else {
                    refuse(ctx, content, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"invalid_request\",\"message\":"
                            + "\"the chunked request body is not well-formed\"}");
                }
                return;
            }
            held.add(content);
            heldBytes += content.content().readableBytes();
            if (content instanceof LastHttpContent || heldBytes > HOLD_LIMIT) {
                List<Object> ready = held;
                held = null;
                ready.forEach(ctx::fireChannelRead);
            }
        }

        private void release() {
            if (held != null) {
                held.forEach(ReferenceCountUtil::release);
                held = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            release();
            super.channelInactive(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }

        /** Answers and closes: what follows on this connection cannot be framed reliably, so it is not read. */
        private void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String body) {
            refused = true;
            ReferenceCountUtil.release(msg);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
