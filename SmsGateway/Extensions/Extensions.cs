using SmsGateway.Messages;
using SmsGateway.Sending;

namespace SmsGateway.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceivedMessages>();
        builder.Services.AddProblemDetails();
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        // The framework's own empty error answers (a query value that does not parse, an unknown route) become
        // problems too, so a caller reads every 4xx the same way.
        app.UseStatusCodePages();
        app.MapSend();
        app.MapMessages();
        return app;
    }
}
