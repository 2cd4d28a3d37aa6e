using Microsoft.Extensions.Options;
using SmsGateway.Messages;

namespace SmsGateway.Sending;

/// <summary><c>POST /v1/send/{id}</c>: the provider's send, with its token check, its delay and its emulated failures.</summary>
public static class SendEndpoint
{
    public static IEndpointRouteBuilder MapSend(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/send/{id:long}", SendAsync);
        return app;
    }

    private static async Task<IResult> SendAsync(
        long id, HttpContext context, IOptions<GatewayOptions> options, ReceivedMessages received, TimeProvider time)
    {
        var gateway = options.Value;
        if (!BearerToken.IsAccepted(context.Request, gateway.Token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The bearer token is missing or wrong.");
        }

        var (sms, errors) = await SmsRequest.ReadAsync(context.Request.Body, id, context.RequestAborted);
        if (sms is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var receivedAt = time.GetUtcNow();
        // Not cut short when the caller gives up (its timeout): a real provider may still send that SMS, so the
        // caller cannot know, and the send is recorded all the same.
        await Task.Delay(gateway.Delay, time);
        var answer = Random.Shared.NextDouble() < gateway.FailureRate ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        received.Record(sms, receivedAt, answer);

        return answer == StatusCodes.Status200OK
            ? TypedResults.Ok(new SendAccepted(id, "accepted"))
            : TypedResults.Problem(statusCode: answer, title: "Emulated provider failure (Gateway:FailureRate).");
    }
}

public sealed record SendAccepted(long Id, string Status);
