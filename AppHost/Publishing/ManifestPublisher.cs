using System.Text.Encodings.Web;
using System.Text.Json;
using AppHost.Model;

namespace AppHost.Publishing;

/// <summary>
/// Writes the application model as a .NET Aspire deployment manifest (what <c>dotnet run --publisher manifest</c> of
/// an Aspire AppHost writes), which Aspire's deployment tools (azd, aspirate, the aspire CLI) turn into a deployment.
/// Field names and order follow Aspire's own manifest publisher.
/// </summary>
public static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        // Connection-string expressions and listener lists contain characters the default encoder would escape.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the manifest to <paramref name="outputPath"/>; project paths are relative to its folder, as Aspire's tools expect.</summary>
    public static void Write(ApplicationModel model, string outputPath)
    {
        var fullPath = Path.GetFullPath(outputPath);
        var manifestDirectory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(manifestDirectory);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUrl);
            writer.WriteStartObject("resources");
            foreach (var resource in model.Resources)
            {
                writer.WriteStartObject(resource.Name);
                switch (resource)
                {
                    case ParameterResource parameter:
                        WriteParameter(writer, parameter);
                        break;
                    case ContainerResource container:
                        WriteContainer(writer, container);
                        break;
                    case PostgresDatabaseResource database:
                        writer.WriteString("type", "value.v0");
                        writer.WriteString("connectionString", database.ConnectionStringExpression);
                        break;
                    case ProjectResource project:
                        WriteProject(writer, project, manifestDirectory);
                        break;
                    default:
                        throw new NotSupportedException($"{resource.GetType().Name} has no manifest form.");
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        File.WriteAllBytes(fullPath, stream.ToArray());
    }

    private static void WriteParameter(Utf8JsonWriter writer, ParameterResource parameter)
    {
        writer.WriteString("type", "parameter.v0");
        writer.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        writer.WriteStartObject("inputs");
        writer.WriteStartObject("value");
        writer.WriteString("type", "string");
        writer.WriteBoolean("secret", true);
        writer.WriteStartObject("default");
        writer.WriteStartObject("generate");
        writer.WriteNumber("minLength", parameter.GeneratedMinLength);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteContainer(Utf8JsonWriter writer, ContainerResource container)
    {
        writer.WriteString("type", "container.v0");
        if (container is IResourceWithConnectionString withConnectionString)
        {
            writer.WriteString("connectionString", withConnectionString.ConnectionStringExpression);
        }
        writer.WriteString("image", container.Image);
        if (container.Args.Count > 0)
        {
            writer.WriteStartArray("args");
            foreach (var arg in container.Args)
            {
                writer.WriteStringValue(arg);
            }
            writer.WriteEndArray();
        }
        if (container.Volumes.Count > 0)
        {
            writer.WriteStartArray("volumes");
            foreach (var volume in container.Volumes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", volume.Name);
                writer.WriteString("target", volume.Target);
                writer.WriteBoolean("readOnly", false);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteEnvironment(writer, container.Environment);
        WriteBindings(writer, container.Bindings);
    }

    private static void WriteProject(Utf8JsonWriter writer, ProjectResource project, string manifestDirectory)
    {
        writer.WriteString("type", "project.v0");
        var projectFile = Path.GetRelativePath(manifestDirectory, SolutionLayout.ProjectFile(project.ProjectName));
        writer.WriteString("path", projectFile.Replace(Path.DirectorySeparatorChar, '/'));
        var environment = new Dictionary<string, string>(project.Environment)
        {
            // Behind the deployment's ingress: honour X-Forwarded-* and listen where the deployment routes the http binding.
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["HTTP_PORTS"] = Expressions.TargetPort(project, "http"),
        };
        WriteEnvironment(writer, environment);
        WriteBindings(writer, project.Bindings);
    }

    private static void WriteEnvironment(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> environment)
    {
        if (environment.Count == 0)
        {
            return;
        }
        writer.WriteStartObject("env");
        foreach (var (name, value) in environment)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter writer, IReadOnlyList<Binding> bindings)
    {
        writer.WriteStartObject("bindings");
        foreach (var binding in bindings)
        {
            writer.WriteStartObject(binding.Name);
            writer.WriteString("scheme", binding.Scheme);
            writer.WriteString("protocol", "tcp");
            writer.WriteString("transport", binding.Transport);
            if (binding.External)
            {
                writer.WriteBoolean("external", true);
            }
            if (binding.TargetPort is { } targetPort)
            {
                writer.WriteNumber("targetPort", targetPort);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
