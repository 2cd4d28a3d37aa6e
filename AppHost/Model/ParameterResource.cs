using System.Security.Cryptography;

namespace AppHost.Model;

/// <summary>
/// A secret supplied at deployment time (<c>parameter.v0</c>), which the deployment tool generates when none is given.
/// A run generates one the same way and keeps it in its data folder.
/// </summary>
public sealed class ParameterResource(string name, int generatedMinLength) : Resource(name)
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public int GeneratedMinLength { get; } = generatedMinLength;

    /// <summary>Letters and digits only, so the value needs no quoting in a connection string.</summary>
    public string Generate() => RandomNumberGenerator.GetString(Alphanumerics, GeneratedMinLength);
}
