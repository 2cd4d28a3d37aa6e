using System.ComponentModel.DataAnnotations;

namespace TaskApi.Infrastructure.Access;

/// <summary>How TaskApi checks callers' tokens, section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// The identity service, whose discovery document and keys validate tokens and whose revocations and audit events
    /// TaskApi reads. <c>http://identity</c> is resolved by Aspire's service discovery (<c>services__identity__http__0</c>).
    /// </summary>
    [Required]
    public Uri IdentityUrl { get; set; } = new("http://identity");

    /// <summary>
    /// The identity service's address as callers outside the deployment reach it (its issuer URL): the token URL the
    /// OpenAPI document gives Swagger UI's "Authorize" and generated clients.
    /// </summary>
    public Uri IdentityPublicUrl { get; set; } = new("http://127.0.0.1:5070/");

    /// <summary>TaskApi's own client secret at the identity service (client id <c>taskapi</c>), for reading revocations and audit events.</summary>
    [Required, MinLength(32)]
    public string ClientSecret { get; set; } = "";

    /// <summary>How often the revocations are read: a disabled app's tokens stop within this (plus one request).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:05")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}
