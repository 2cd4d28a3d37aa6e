namespace AppHost.Model;

/// <summary>
/// The placeholders of .NET Aspire's manifest expressions. A deployment tool replaces them with what it provisioned;
/// a run replaces them with what it started (<see cref="Running.RunValues"/>).
/// </summary>
public static class Expressions
{
    public static string Host(Resource resource, string binding = "tcp") => $"{{{resource.Name}.bindings.{binding}.host}}";

    public static string Port(Resource resource, string binding = "tcp") => $"{{{resource.Name}.bindings.{binding}.port}}";

    public static string TargetPort(Resource resource, string binding) => $"{{{resource.Name}.bindings.{binding}.targetPort}}";

    public static string ConnectionString(IResourceWithConnectionString resource) => $"{{{resource.Name}.connectionString}}";

    public static string Value(ParameterResource parameter) => $"{{{parameter.Name}.value}}";
}
