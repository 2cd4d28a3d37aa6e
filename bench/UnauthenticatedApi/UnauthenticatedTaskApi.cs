using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UnauthenticatedApi;

/// <summary>
/// TaskApi's <c>Program</c> with its configuration from the environment, as the TaskApi process takes it, and every
/// request taken for <see cref="FixedAppPolicyEvaluator.App"/>: no token is read or validated and no authorization
/// requirement is evaluated; the rest (createdBy, an app's own tasks, the audit log of writes) runs as with a token.
/// </summary>
public sealed class UnauthenticatedTaskApi : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory sets Development; the process's environment decides, as it does for TaskApi.
        builder.UseEnvironment(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environments.Production);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, FixedAppPolicyEvaluator>()));
    }
}
