using System.Reflection;
using System.Reflection.Emit;

namespace Switchboard.Tests.Registry;

/// <summary>
/// Builds in-memory assemblies holding [Signal] and [Function] methods, for declarations that must fail at startup: they cannot
/// live in the test assembly, which AddSignalsFrom scans as a whole.
/// </summary>
internal static class EmittedHandlers
{
    private static int _counter;

    /// <summary>An assembly with one static class <c>Emitted.Handlers{n}</c> holding the given methods.</summary>
    public static Assembly Build(params EmittedMethod[] methods)
    {
        var n = Interlocked.Increment(ref _counter);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Switchboard.Tests.Emitted" + n), AssemblyBuilderAccess.RunAndCollect);
        var module = assembly.DefineDynamicModule("Emitted");
        var type = module.DefineType($"Emitted.Handlers{n}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        foreach (var m in methods)
        {
            var method = type.DefineMethod(m.Name, MethodAttributes.Public | MethodAttributes.Static, typeof(void), m.Parameters);
            for (var i = 0; i < m.Parameters.Length; i++)
            {
                method.DefineParameter(i + 1, ParameterAttributes.None, "p" + i);
            }
            method.GetILGenerator().Emit(OpCodes.Ret);
            foreach (var attribute in m.Signals)
            {
                method.SetCustomAttribute(attribute);
            }
        }
        type.CreateType();
        return assembly;
    }

    /// <summary>A <c>[Function(name, Property = value, ...)]</c> attribute.</summary>
    public static CustomAttributeBuilder Function(string name, params (string Property, object Value)[] properties)
    {
        var constructor = typeof(FunctionAttribute).GetConstructor([typeof(string)])!;
        var props = properties.Select(p => typeof(FunctionAttribute).GetProperty(p.Property)!).ToArray();
        return new CustomAttributeBuilder(constructor, [name], props, properties.Select(p => p.Value).ToArray());
    }

    /// <summary>A <c>[Signal]</c> or <c>[Function]</c> without a name: the method names it.</summary>
    public static CustomAttributeBuilder Unnamed<TAttribute>()
        where TAttribute : Attribute => new(typeof(TAttribute).GetConstructor(Type.EmptyTypes)!, []);

    /// <summary>A <c>[Signal(name, Property = value, ...)]</c> attribute.</summary>
    public static CustomAttributeBuilder Signal(string name, params (string Property, object Value)[] properties)
    {
        var constructor = typeof(SignalAttribute).GetConstructor([typeof(string)])!;
        var props = properties.Select(p => typeof(SignalAttribute).GetProperty(p.Property)!).ToArray();
        return new CustomAttributeBuilder(constructor, [name], props, properties.Select(p => p.Value).ToArray());
    }
}

/// <summary>A static void method to emit.</summary>
internal sealed record EmittedMethod(string Name, Type[] Parameters, params CustomAttributeBuilder[] Signals);
