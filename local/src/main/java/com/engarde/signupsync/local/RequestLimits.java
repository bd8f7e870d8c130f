package com.engarde.signupsync.local;

import com.engarde.signupsync.api.QueryParameters;
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
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * A request line or headers over Netty's limits answer 414 or 431, as API Gateway answers them in AWS, in
 * the standard error body; a request target that is not valid percent-encoding answers 400. Without this the server says 413, which tells a caller to shorten a body it may
 * not even have.
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

    private static final class Refusal extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                    && !QueryParameters.readable(request.uri())) {
                // The server would take a target it cannot decode for "/": refused here, before any route.
                refuse(ctx, msg, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"invalid_request\",\"message\":"
                        + "\"the request target is not valid percent-encoded UTF-8\"}");
                return;
            }
            if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : null;
                if (status != null) {
                    refuse(ctx, msg, status, status.code() == 414
                            ? "{\"error\":\"uri_too_long\",\"message\":\"the request line is longer than the server accepts\"}"
                            : "{\"error\":\"headers_too_large\",\"message\":\"the request headers are larger than the server accepts\"}");
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        /** Answers and closes: what follows on this connection cannot be framed reliably. */
        private static void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String body) {
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
