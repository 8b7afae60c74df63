//===- Types.h - toy's types ----------------------------------------------===//
//
// Types are interned, and two types are identical exactly when their canonical types
// (Type::canon) are the same pointer. byte and rune are types of their own with the kinds
// of uint8 and int32, as Go's universe has them, so that messages name the alias the source
// used; a type spelled with them ([]byte) has as canonical type the one spelled with uint8
// and int32 ([]uint8), which code generation uses. Untyped constant types follow Go's
// (untyped int, rune, float, bool, string).
// A defined type (type Celsius float64) is a Type of its own, never interned: it has its
// name and copies the kind and parts of its underlying type, so the operators, indexing and
// layout of the underlying type apply to it unchanged while identity tells the two apart.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_TYPES_H
#define TOY_TYPES_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace toy {

struct Type {
  enum Kind {
    Invalid,
    Void,
    // The integer kinds, signed then unsigned (isInteger relies on the order).
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Bool,
    String,
    UntypedInt,
    UntypedRune,
    UntypedFloat,
    UntypedBool,
    UntypedString,
    UntypedNil, // the type of nil
    Func,
    Tuple, // the results of a call with several (Go's *types.Tuple)
    Array, // [len]elem
    Slice,   // []elem
    Pointer, // *elem
    Chan,    // chan elem, chan<- elem, <-chan elem
    Struct,   // struct { fields }
    Map,      // map[key]elem
    Interface // interface { methods }: fields are the methods (name, signature), sorted by name
  };
  struct Field {
    std::string name; // "_" for a blank field; an embedded field's is its type's name
    const Type *type;
    bool embedded = false; // struct { T } or struct { *T }: T's fields and methods are promoted
    bool operator==(const Field &o) const {
      return name == o.name && type == o.type && embedded == o.embedded;
    }
  };
  /// A channel's direction (Go's types.ChanDir).
  enum ChanDir { SendRecv, SendOnly, RecvOnly };
  Kind kind;
  std::vector<const Type *> params;  // Func
  std::vector<const Type *> results; // Func; the elements of a Tuple
  const Type *elem = nullptr;        // Array, Slice, Map: the element type; Pointer: the pointee
  const Type *key = nullptr;         // Map: the key type
  int64_t len = 0;                   // Array: the length
  bool variadic = false;             // Func: the last parameter is ...elem (a slice of elem)
  ChanDir dir = SendRecv;            // Chan
  std::vector<Field> fields;         // Struct
  std::string name;                  // a defined type: its name ("Celsius")
  std::string pkg, pkgPath;          // a defined type: its package's name and import path
  const Type *under = nullptr;       // a defined type: its underlying type, once resolved
  /// byte or rune: the alias's name (Go's universe keeps a Basic of that name for each).
  const char *alias = nullptr;
  /// This type with byte and rune replaced by uint8 and int32 throughout: this type itself
  /// unless it is spelled with an alias. A defined type is its own canonical type.
  const Type *canon = this;
  explicit Type(Kind k) : kind(k) {}

  /// A defined type (type T ...), as opposed to a type literal or a predeclared type.
  bool isDefined() const { return !name.empty(); }
  /// Go's named types: predeclared and defined ones (assignability treats them alike).
  bool isNamed() const { return isDefined() || kind < Func; }
  const Type *underlying() const { return under ? under : this; }
  /// Whether a typed value of this type may be assigned to t: identical types, or identical
  /// underlying types where one of them is not named.
  bool assignableTo(const Type *t) const {
    return canon == t->canon ||
           (underlying()->canon == t->underlying()->canon && (!isNamed() || !t->isNamed()));
  }

  bool isInteger() const { return (kind >= Int && kind <= Uintptr) || isUntypedInt(); }
  /// An untyped integer or rune constant.
  bool isUntypedInt() const { return kind == UntypedInt || kind == UntypedRune; }
  bool isFloat() const { return kind == Float32 || kind == Float64 || kind == UntypedFloat; }
  bool isNumeric() const { return isInteger() || isFloat(); }
  bool isUnsigned() const { return kind >= Uint && kind <= Uintptr; }
  bool isSigned() const { return !isUnsigned(); }
  /// The width of an integer or float type in bits (int, uint and uintptr are 64 bits, as on amd64).
  unsigned bits() const;
  bool isBoolean() const { return kind == Bool || kind == UntypedBool; }
  bool isString() const { return kind == String || kind == UntypedString; }
  bool isUntyped() const {
    return isUntypedInt() || kind == UntypedFloat || kind == UntypedBool ||
           kind == UntypedString || kind == UntypedNil;
  }
  bool isArray() const { return kind == Array; }
  bool isSlice() const { return kind == Slice; }
  bool isPointer() const { return kind == Pointer; }
  /// A pointer to an array, which indexing, slicing, len, cap and range accept as the array.
  bool isArrayPointer() const { return kind == Pointer && elem->kind == Array; }
  bool isChan() const { return kind == Chan; }
  bool isStruct() const { return kind == Struct; }
  bool isMap() const { return kind == Map; }
  bool isInterface() const { return kind == Interface; }
  /// An interface's method `name` (its signature), or null.
  const Type *imethod(const std::string &name) const {
    for (auto &f : fields)
      if (f.name == name)
        return f.type;
    return nullptr;
  }
  /// Go's comparable types (== and != apply): no funcs or slices, and arrays and structs of
  /// comparable elements and fields.
  bool comparable() const;
  /// Go's text of the type; a defined type of a package other than main is qualified with
  /// the package's name (sync.Mutex), as gc's messages write it from package main.
  std::string str() const;
};

/// Go's types.Identical: byte is uint8 and rune is int32, wherever they appear in a type.
inline bool identical(const Type *a, const Type *b) { return a->canon == b->canon; }

struct Object;

/// A method declared on a defined type: func (t T) M() or func (t *T) M().
struct Method {
  std::string name;
  Object *fn;                // its function; the receiver is the first parameter of fn's type
  const Type *sig;           // its type as x.M has it: the signature without the receiver
  bool ptrRecv;              // declared with a *T receiver
};

/// What x.name selects (types2's lookupFieldOrMethod result).
struct Selection {
  enum Kind { None, Field, Method, Ambiguous } kind = None;
  std::vector<int> path;          // the embedded fields walked, then a Field's own index
  const toy::Method *method = nullptr; // a Method's declaration; null for an interface's method
  bool indirect = false;          // a pointer was followed through an embedded *T
  /// A Method of an embedded interface field (struct{ io.Writer }): its signature; path ends
  /// at that field.
  const Type *isig = nullptr;
  /// The selected method's signature, without the receiver.
  const Type *sig() const { return method ? method->sig : isig; }
};

/// Owns and interns every type of one compilation.
class TypeContext {
public:
  TypeContext();
  const Type *invalid() const { return basic_[Type::Invalid].get(); }
  const Type *voidT() const { return basic_[Type::Void].get(); }
  const Type *intT() const { return basic_[Type::Int].get(); }
  const Type *int64T() const { return basic_[Type::Int64].get(); }
  const Type *uint8T() const { return basic_[Type::Uint8].get(); }
  const Type *int32T() const { return basic_[Type::Int32].get(); }
  /// The aliases byte (of uint8) and rune (of int32), which print as their names.
  const Type *byteT() const { return byte_.get(); }
  const Type *runeT() const { return rune_.get(); }
  const Type *basic(Type::Kind k) const { return basic_[k].get(); }
  const Type *boolT() const { return basic_[Type::Bool].get(); }
  const Type *stringT() const { return basic_[Type::String].get(); }
  const Type *untypedInt() const { return basic_[Type::UntypedInt].get(); }
  const Type *untypedRune() const { return basic_[Type::UntypedRune].get(); }
  const Type *untypedFloat() const { return basic_[Type::UntypedFloat].get(); }
  const Type *untypedNil() const { return basic_[Type::UntypedNil].get(); }
  const Type *untypedBool() const { return basic_[Type::UntypedBool].get(); }
  const Type *untypedString() const { return basic_[Type::UntypedString].get(); }
  const Type *func(std::vector<const Type *> params, std::vector<const Type *> results,
                   bool variadic = false);
  const Type *array(const Type *elem, int64_t len);
  const Type *slice(const Type *elem);
  const Type *pointer(const Type *elem);
  const Type *chan(const Type *elem, Type::ChanDir dir);
  const Type *structType(std::vector<Type::Field> fields);
  const Type *map(const Type *key, const Type *elem);
  /// The interface type with these methods (each a Field of name and signature), in any order.
  const Type *interfaceType(std::vector<Type::Field> methods);
  /// The empty interface, interface{} (any).
  const Type *emptyInterface() { return interfaceType({}); }
  /// The predeclared error type, interface{ Error() string }: one defined type of no package,
  /// shared by every package of the compilation so that their errors are identical.
  const Type *errorType();
  /// A new defined type of the package named pkg at pkgPath, invalid until defineUnderlying
  /// gives it its underlying type.
  Type *defined(const std::string &name, const std::string &pkg, const std::string &pkgPath);
  /// Makes `under` (a type literal or predeclared type) t's underlying type.
  static void defineUnderlying(Type *t, const Type *under);
  /// Adds m to the methods of defined type t.
  void addMethod(const Type *t, Method m) { methods_[t].push_back(std::move(m)); }
  /// Defined type t's method `name`, or null.
  const Method *method(const Type *t, const std::string &name) const;
  /// What x.name selects for x of type t, seen from the package at fromPkg (whose unexported
  /// names it may select): Go's shallowest field or method through embedded fields.
  Selection lookupFieldOrMethod(const Type *t, const std::string &name,
                                const std::string &fromPkg) const;
  /// The methods declared on t, in declaration order.
  const std::vector<Method> &methods(const Type *t) const;
  /// The type of a call returning several results.
  const Type *tuple(const std::vector<const Type *> &elems);
  /// The type an untyped constant gets when nothing else decides (int, rune, float64, bool,
  /// string); an untyped rune's is rune itself, named so in messages as types2 names it.
  const Type *defaultType(const Type *t) const;

private:
  /// Gives t (a composite type just made of these parts) its canonical type: t itself unless
  /// one of its parts is spelled with byte or rune.
  void canonicalize(Type *t);
  /// Keeps t among the composite types and canonicalizes it.
  const Type *addComposite(std::unique_ptr<Type> t);
  std::vector<std::unique_ptr<Type>> basic_;
  std::unique_ptr<Type> byte_, rune_;
  std::vector<std::unique_ptr<Type>> funcs_;
  std::vector<std::unique_ptr<Type>> tuples_;
  std::vector<std::unique_ptr<Type>> composites_; // arrays, slices, pointers, channels, structs, maps
  std::vector<std::unique_ptr<Type>> defined_;
  Type *error_ = nullptr;
  std::map<const Type *, std::vector<Method>> methods_;
};

} // namespace toy

#endif
