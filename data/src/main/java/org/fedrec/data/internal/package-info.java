/** Implementation details of {@code org.fedrec.data}: parsers, collectors, samplers. Not an API. */
package org.fedrec.data.internal;
